/** Kept in step with package.json by a unit test; read here so start-up needs no file I/O. */
export const VERSION = '0.1.0';
