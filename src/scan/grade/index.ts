export {
  type Grade,
  type GradeCap,
  type GradeCriteria,
  type GradeInputs,
  type GradeLetter,
  A_PLUS_MIN_HSTS_SECONDS,
  gradeReport,
} from './grade.ts';
export { CAP_RULES } from './caps.ts';
