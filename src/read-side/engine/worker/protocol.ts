import { ProjectionChange } from '../projection';

/** Request thread → projection worker. */
export type ToWorker =
  | { kind: 'wake' }
  | { kind: 'call'; id: number; method: 'status' }
  | { kind: 'call'; id: number; method: 'rebuild'; name: string }
  | { kind: 'call'; id: number; method: 'stop' };

export type WorkerCall = Extract<ToWorker, { kind: 'call' }>;

/** Projection worker → request thread. */
export type FromWorker =
  | { kind: 'positions'; runners: RunnerPosition[] }
  | { kind: 'changes'; changes: ProjectionChange[] }
  | { kind: 'log'; level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal'; context: string; message: string }
  | { kind: 'progress'; id: number; position: number; head: number }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'failure'; id: number; message: string };

/** What the request thread mirrors of each runner to answer read-your-writes waits without asking. */
export interface RunnerPosition {
  name: string;
  position: number;
  /** False while another instance leads it: its progress shows only in the stored checkpoint. */
  leader: boolean;
  failing: boolean;
}
