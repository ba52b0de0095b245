export {
  type CatalogueEntry,
  FINDING_CATALOGUE,
  FINDING_IDS,
  type FindingId,
  isFindingId,
} from './catalogue.ts';
export {
  type Confidence,
  type Finding,
  type FindingInput,
  SEVERITIES,
  type Severity,
  compareSeverity,
  finding,
  sortFindings,
} from './finding.ts';
