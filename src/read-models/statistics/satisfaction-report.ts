import { dimensionOf, Groups, rate, StatReport } from './report-kit';

interface Acc {
  /** Closed at least once: asked for feedback. */
  eligible: number;
  responses: number;
  total: number;
  scores: Record<'1' | '2' | '3' | '4' | '5', number>;
}

/** Feedback scores (1-5) by agent, department, category or channel: distribution, average and response rate. */
export const satisfactionReport: StatReport<Acc, object> = {
  name: 'satisfaction',
  description:
    'feedback score distribution, average and response rate (feedback / disputes closed) by agent, department, category or channel',
  groupBys: ['agent', 'department', 'category', 'channel'],
  reads: ['DisputeFiled', 'DisputeAssigned', 'DisputeClosed', 'FeedbackReceived'],
  init: () => ({ eligible: 0, responses: 0, total: 0, scores: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } }),
  add(groups: Groups<Acc>, { state }, params) {
    const closed = state.closure !== null || state.feedback !== null;
    if (!closed) return;
    const acc = groups.at(dimensionOf(state, params.groupBy), state.id);
    acc.eligible++;
    if (state.feedback === null) return;
    acc.responses++;
    acc.total += state.feedback.score;
    const score = String(state.feedback.score) as keyof Acc['scores'];
    if (score in acc.scores) acc.scores[score]++;
  },
  row: (acc) => ({
    closed: acc.eligible,
    responses: acc.responses,
    responseRate: rate(acc.responses, acc.eligible),
    averageScore: acc.responses === 0 ? null : Math.round((acc.total / acc.responses) * 100) / 100,
    scores: acc.scores,
  }),
};
