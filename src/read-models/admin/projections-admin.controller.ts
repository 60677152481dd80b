import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { Roles } from '../../common/http/access';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';

/** Operators: projection status and lag, and a rebuild from zero beside the live service. */
@Controller('api/v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly engine: ProjectionEngine) {}

  @Get()
  @Roles('admin')
  async status() {
    return { projections: await this.engine.status() };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @Roles('admin')
  async rebuild(@Param('name') name: string) {
    if (!this.engine.isRebuildable(name)) throw new NotFoundException(`no projection named ${name}`);
    return this.engine.rebuild(name);
  }
}
