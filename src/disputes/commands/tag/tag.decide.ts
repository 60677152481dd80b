import { conflict, invalid } from '../../../shared/errors';
import type { DisputeEvent } from '../../domain/dispute.events';
import type { DisputeState } from '../../domain/dispute.state';
import type { TagDispute } from './tag.command';

/** A tag: a lowercase word or words joined by hyphens, 1–40 characters (also the DTO's rule). */
export const TAG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** At most this many tags on one dispute. */
export const MAX_TAGS = 20;

export const tagsOf = (state: DisputeState): readonly string[] => state.tags ?? [];

/** Offered while the dispute has room for another tag, whatever its stage (a closed case is still reported on). */
export const tagGuard = (state: DisputeState) =>
  tagsOf(state).length >= MAX_TAGS ? conflict(`the dispute already has ${MAX_TAGS} tags, the most it can have`) : null;

/** Adds the tags the dispute does not have yet; asking only for tags it has is a conflict (nothing to record). */
export function tagDispute(state: DisputeState, command: TagDispute): DisputeEvent[] {
  const { actor, now: at } = command.context;
  const bad = command.data.tags.find((tag) => !TAG_PATTERN.test(tag));
  if (bad !== undefined)
    throw invalid(`tags: "${bad}" is not a tag (lowercase letters, digits and hyphens, 1–40 characters)`, { field: 'tags' });
  const has = new Set(tagsOf(state));
  const added = [...new Set(command.data.tags)].filter((tag) => !has.has(tag));
  if (added.length === 0) throw conflict('the dispute already has these tags');
  if (has.size + added.length > MAX_TAGS) throw conflict(`a dispute has at most ${MAX_TAGS} tags (it has ${has.size})`);
  return [{ type: 'DisputeTagged', data: { disputeId: state.id, at, tags: added, taggedBy: actor.id } }];
}
