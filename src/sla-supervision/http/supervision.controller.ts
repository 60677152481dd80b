import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../../common/http/access';
import { ApiErrorResponses, ApiRead } from '../../common/http/api-docs';
import { Actor } from '../../shared/actor';
import { parseIfMatch } from '../../common/http/http-conventions';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { GetInvestigationsQuery } from '../../read-models/sla-supervision/sla-supervision.query-handlers';
import { PublicationService } from '../application/publication.service';
import { InvestigationsDto, InvestigationsQueryDto, PublishedMonthDto, PublishMonthDto } from './supervision.dto';

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Issue 14: the supervisors' investigation queue and the manager's monthly publication. */
@ApiTags('sla')
@Controller('api/v1/sla')
export class SupervisionController {
  constructor(
    private readonly queries: QueryBus,
    private readonly projections: ProjectionEngine,
    private readonly publication: PublicationService,
  ) {}

  @Get('investigations')
  @Roles('supervisor', 'manager', 'auditor')
  @ApiRead({
    summary: 'Breaches awaiting investigation (3 working days), nearest deadline first',
    operationId: 'listSlaInvestigations',
    type: InvestigationsDto,
    errors: [400],
  })
  async investigations(@Query() query: InvestigationsQueryDto) {
    await this.projections.waitForHead('sla-supervision');
    return this.queries.execute(new GetInvestigationsQuery(query.department, query.status));
  }

  @Post('months/:month/publish')
  @HttpCode(201)
  @Roles('manager')
  @ApiOperation({
    summary: 'Publish a closed month on the public supervision page (a correction publishes a new revision)',
    description: '409 when the month is not closed, or unchanged, or a correction comes without a reason',
    operationId: 'publishSlaMonth',
  })
  @ApiResponse({ status: 201, type: PublishedMonthDto, description: 'Created: the published figures' })
  @ApiErrorResponses(400, 409, 412, 503)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'the month\'s `revision` as last read (`"0"` before its first publication); 412 when another is published now',
  })
  publish(
    @Param('month') month: string,
    @Body() body: PublishMonthDto,
    @CurrentActor() actor: Actor,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    if (!MONTH.test(month))
      throw new BadRequestException({
        message: 'month must be YYYY-MM',
        details: [{ field: 'month', problems: ['month must be YYYY-MM'] }],
      });
    return this.publication.publish(month, body.reason ?? null, actor, parseIfMatch(ifMatch, "a month's published revision"));
  }
}
