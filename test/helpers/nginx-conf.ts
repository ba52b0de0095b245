// The frame of every nginx.conf the tests and benches write: a foreground nginx whose
// pid, logs and temp files stay in its own directory, around the `http` block's contents.

export interface NginxFrame {
  /** Worker processes; 1 runs nginx as a single process (`master_process off`). */
  readonly workers?: number;
  readonly workerConnections?: number;
  /** `worker_rlimit_nofile`, for many listeners and connections. */
  readonly fileLimit?: number;
  /** `error_log stderr <level>` (default notice). */
  readonly errorLevel?: string;
}

export function nginxConf(dir: string, http: string, frame: NginxFrame = {}): string {
  const workers = frame.workers ?? 1;
  return `daemon off;
master_process ${workers > 1 ? 'on' : 'off'};
worker_processes ${workers};
${frame.fileLimit === undefined ? '' : `worker_rlimit_nofile ${frame.fileLimit};\n`}pid ${dir}/nginx.pid;
error_log stderr ${frame.errorLevel ?? 'notice'};
events { worker_connections ${frame.workerConnections ?? 256}; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${http}
}
`;
}
