import { runProjector } from '../read-side/engine/projector';
import { personalDataLog } from '../privacy/protect-log';
import { openReadStore } from './read-models.module';
import { PROJECTIONS } from './registry';

/** `node dist/read-models/projector.main.js`: catches every read model up offline (see engine/projector.ts). */
runProjector({
  projections: () => PROJECTIONS(),
  openReadStore,
  decorateLog: personalDataLog,
});
