import { PATH_METADATA } from '@nestjs/common/constants';
import { commandRoutes, routeOf } from '../../../src/disputes/commands/command-routes';
import { COMMAND_SLICES } from '../../../src/disputes/domain/dispute.commands';
import { TagDisputeRoute } from '../../../src/disputes/commands/tag/tag.route';

/** The disputes module's write routes come from COMMAND_SLICES (issue 18): one controller per slice with a route. */
describe('command routes found from COMMAND_SLICES', () => {
  it('gives one controller per slice that names a route folder, in list order, each a Nest controller', () => {
    const routed = COMMAND_SLICES.filter((s) => 'route' in s && s.route);
    const routes = commandRoutes();
    expect(routes).toHaveLength(routed.length);
    expect(new Set(routes).size).toBe(routes.length);
    for (const route of routes) expect(Reflect.getMetadata(PATH_METADATA, route)).toBe('api/v1/disputes');
    expect(routes[routes.length - 1]).toBe(TagDisputeRoute);
    expect(routes[0].name).toBe('FileDisputeRoute');
  });

  it('stops on a folder without a route file', () => {
    expect(() => routeOf('no-such-slice')).toThrow(/Cannot find module/);
  });
});
