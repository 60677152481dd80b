import { Decider } from '../../shared/event-sourcing/decider';
import { DEFAULT_SLA_POLICY, PeakWindow, SlaPolicy } from './sla-policy';

/** The policy's own stream: every change a new version, every peak window announced in advance. */
export const SLA_POLICY_STREAM = 'sla-policy';

export type SlaPolicyChanged = {
  type: 'SlaPolicyChanged';
  data: { version: number; policy: Omit<SlaPolicy, 'version'>; reason: string | null; at: string };
};
export type PeakWindowAnnounced = {
  type: 'PeakWindowAnnounced';
  data: { windowId: string; start: string; end: string; extensionPercent: number; reason: string; at: string };
};
export type SlaPolicyEvent = SlaPolicyChanged | PeakWindowAnnounced;

export interface SlaPolicyState {
  /** Every version ever in force; version 1 is the built-in default until changed. */
  versions: Map<number, SlaPolicy>;
  current: SlaPolicy;
  peakWindows: (PeakWindow & { windowId: string; reason: string })[];
}

export const initialPolicyState = (): SlaPolicyState => ({
  versions: new Map([[DEFAULT_SLA_POLICY.version, DEFAULT_SLA_POLICY]]),
  current: DEFAULT_SLA_POLICY,
  peakWindows: [],
});

export function evolvePolicy(state: SlaPolicyState, event: SlaPolicyEvent): SlaPolicyState {
  switch (event.type) {
    case 'SlaPolicyChanged': {
      const policy: SlaPolicy = { ...event.data.policy, version: event.data.version };
      const versions = new Map(state.versions).set(policy.version, policy);
      return { ...state, versions, current: policy };
    }
    case 'PeakWindowAnnounced': {
      const { windowId, start, end, extensionPercent, reason } = event.data;
      return { ...state, peakWindows: [...state.peakWindows, { windowId, start, end, extensionPercent, reason }] };
    }
  }
}

export type SlaPolicyCommand =
  | { type: 'ChangeSlaPolicy'; data: { policy: Omit<SlaPolicy, 'version'>; reason: string | null; at: string } }
  | { type: 'AnnouncePeakWindow'; data: PeakWindowAnnounced['data'] };

/** The policy stream in the toolkit's shape (shared/event-sourcing): each change becomes the next version. */
export const slaPolicyDecider: Decider<SlaPolicyCommand, SlaPolicyEvent, SlaPolicyState> = {
  decide: (command, state) =>
    command.type === 'ChangeSlaPolicy'
      ? [{ type: 'SlaPolicyChanged', data: { version: state.current.version + 1, ...command.data } }]
      : [{ type: 'PeakWindowAnnounced', data: command.data }],
  evolve: evolvePolicy,
  initialState: initialPolicyState,
};
