import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';
import { allowedActions, workspaceActions } from '../../../src/disputes/domain/dispute.decide';
import { MAX_TAGS } from '../../../src/disputes/commands/tag/tag.decide';
import { actor, AGENT, at, closed, cmd, ctx, DISPUTE, filed, MANAGER, SUPERVISOR } from './dispute.fixtures';
import { given } from './dispute.spec-helper';

/** Tags on a case (issue 18's example slice): given events, when TagDispute, then DisputeTagged or a refusal. */
const tagged = (tags: string[], minutes = 5): DisputeEvent => ({
  type: 'DisputeTagged',
  data: { disputeId: DISPUTE, at: at(minutes), tags, taggedBy: 'agent-1' },
});
const tag = (tags: string[], who = AGENT) => cmd('TagDispute', { tags }, ctx(who, 10));

describe('tagging a dispute', () => {
  it('records the new tags, once each, with who added them', () => {
    given(filed())
      .when(tag(['fragile', 'vip', 'fragile']))
      .then([{ type: 'DisputeTagged', data: { disputeId: DISPUTE, at: at(10), tags: ['fragile', 'vip'], taggedBy: 'agent-1' } }]);
  });

  it('records only the tags the dispute does not have yet, and the state keeps them in order', () => {
    given(filed(), tagged(['fragile']))
      .when(tag(['vip', 'fragile'], SUPERVISOR))
      .then((events) => {
        expect(events).toEqual([
          { type: 'DisputeTagged', data: { disputeId: DISPUTE, at: at(10), tags: ['vip'], taggedBy: 'supervisor-1' } },
        ]);
        expect(foldDispute([filed(), tagged(['fragile']), ...events])?.tags).toEqual(['fragile', 'vip']);
      });
  });

  it('refuses tags the dispute already has, all of them (nothing to record)', () => {
    given(filed(), tagged(['fragile', 'vip']))
      .when(tag(['vip']))
      .thenRefused('conflict', /already has these tags/);
  });

  it('refuses a tag that is not lowercase letters, digits and hyphens', () => {
    for (const bad of ['Fragile', 'two words', '-lead', 'trail-', '', 'x'.repeat(41), 'naïve'])
      given(filed())
        .when(tag(['ok', bad]))
        .thenRefused('invalid', /is not a tag/);
  });

  it(`keeps at most ${MAX_TAGS} tags on a dispute`, () => {
    const many = Array.from({ length: MAX_TAGS - 1 }, (_, i) => `t${i}`);
    given(filed(), tagged(many))
      .when(tag(['a', 'b']))
      .thenRefused('conflict', new RegExp(`at most ${MAX_TAGS} tags`));
    given(filed(), tagged(many))
      .when(tag(['a']))
      .then((events) => expect(events).toHaveLength(1));
    given(filed(), tagged([...many, 'a']))
      .when(tag(['b']))
      .thenRefused('conflict', new RegExp(`already has ${MAX_TAGS} tags`));
  });

  it('is allowed on a closed case (still reported on), to agents and supervisors, not to managers', () => {
    given(filed(), closed())
      .when(tag(['late-delivery']))
      .then((events) => expect(events).toHaveLength(1));
    given(filed())
      .when(tag(['vip'], MANAGER))
      .thenRefused('forbidden', /tag needs one of the roles agent, supervisor/);
  });

  it("is refused on a colleague's case (ownership)", () => {
    const assigned: DisputeEvent = {
      type: 'DisputeAssigned',
      data: { disputeId: DISPUTE, at: at(2), agentId: 'agent-2', department: 'after-sales', previousAgentId: null },
    };
    given(filed(), assigned)
      .when(tag(['vip'], actor('agent', 'agent-9')))
      .thenRefused('forbidden', /only its assignee/);
  });

  it('is offered in workspaceActions (not allowedActions) while the dispute has room for a tag', () => {
    const state = foldDispute([filed()])!;
    expect(workspaceActions(state, AGENT, at(10))).toContain('tag');
    expect(allowedActions(state, AGENT, at(10))).not.toContain('tag');
    expect(workspaceActions(state, MANAGER, at(10))).not.toContain('tag');
    const full = foldDispute([filed(), tagged(Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`))])!;
    expect(workspaceActions(full, AGENT, at(10))).not.toContain('tag');
  });
});
