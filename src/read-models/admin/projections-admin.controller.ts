import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/http/access';
import { ApiRead } from '../../common/http/api-docs';
import { ProjectionStatusListDto, RebuildReportDto } from './admin.dto';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';

/** Operators: projection status and lag, and a rebuild from zero beside the live service. */
@ApiTags('admin')
@Controller('api/v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly engine: ProjectionEngine) {}

  @Get()
  @Roles('admin')
  @ApiRead({ summary: 'Projection status and lag', operationId: 'listProjections', type: ProjectionStatusListDto, errors: [] })
  async status() {
    return { projections: await this.engine.status() };
  }

  @Post(':name/rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiRead({
    summary: 'Rebuild a projection from zero beside the live one',
    operationId: 'rebuildProjection',
    type: RebuildReportDto,
    errors: [404, 409, 503],
  })
  async rebuild(@Param('name') name: string) {
    if (!this.engine.isRebuildable(name)) throw new NotFoundException(`no projection named ${name}`);
    return this.engine.rebuild(name);
  }
}
