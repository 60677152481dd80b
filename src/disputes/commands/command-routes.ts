import { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { join } from 'node:path';
import { COMMAND_SLICES } from '../domain/dispute.commands';

/**
 * The route controller of every command slice that has one, in COMMAND_SLICES order: each slice's folder
 * (`route`) holds `<route>.route.ts` with exactly one exported controller. Found from the list, so adding a
 * command adds no line to the disputes module; a slice whose folder has no controller stops the app at start
 * (and test/unit/disputes/command-slices.spec.ts).
 */
export function commandRoutes(): Type[] {
  return COMMAND_SLICES.flatMap((slice) => ('route' in slice && slice.route ? [routeOf(slice.route)] : []));
}

export function routeOf(folder: string): Type {
  // A require by path (not an import) so that the list, not this file, names the slices; the folder names are
  // fixed strings of COMMAND_SLICES, never input.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(join(__dirname, folder, `${folder}.route`)) as Record<string, unknown>;
  const controllers = Object.values(exported).filter(
    (value): value is Type => typeof value === 'function' && Reflect.getMetadata(PATH_METADATA, value) !== undefined,
  );
  if (controllers.length !== 1) throw new Error(`commands/${folder}/${folder}.route exports ${controllers.length} controllers, not 1`);
  return controllers[0];
}
