import { ExportDataset } from './export-dataset';
import { eventsDataset, feedbackDataset, transitionsDataset } from './log-datasets';
import { breachesDataset, compensationsDataset, disputesDataset, penaltiesDataset } from './table-datasets';

/** Every dataset `GET /api/v1/exports/:dataset` and `casetrail export` serve, by name (docs/analytics.md). */
export const EXPORT_DATASETS: readonly ExportDataset[] = [
  disputesDataset,
  compensationsDataset,
  breachesDataset,
  penaltiesDataset,
  feedbackDataset,
  transitionsDataset,
  eventsDataset,
];

export const EXPORT_DATASET_NAMES = EXPORT_DATASETS.map((d) => d.name);

export const datasetNamed = (name: string): ExportDataset | undefined => EXPORT_DATASETS.find((d) => d.name === name);
