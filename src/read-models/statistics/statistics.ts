import { categoryReport } from './category-report';
import { costReport } from './cost-report';
import { repeatReport } from './repeat-report';
import { StatReport } from './report-kit';
import { satisfactionReport } from './satisfaction-report';
import { stageReport } from './stage-report';

/** The handbook's statistics (seed 003), served under /api/v1/reports/<name>. */
export const STAT_REPORTS: readonly StatReport<any, object>[] = [satisfactionReport, categoryReport, stageReport, costReport, repeatReport];

export const statReportNamed = (name: string) => STAT_REPORTS.find((r) => r.name === name);
