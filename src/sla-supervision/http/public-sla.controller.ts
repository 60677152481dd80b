import { BadRequestException, Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/http/access';
import { ApiErrorResponses } from '../../common/http/api-docs';
import { PublicationService } from '../application/publication.service';
import { renderPublicPage } from './public-page';
import { PublishedMonthDto } from './supervision.dto';
import { MONTH } from './supervision.controller';

/** Issue 14: the public response-time supervision page (no token), HTML and JSON, of published months only. */
@ApiTags('public')
@Controller('public/sla')
export class PublicSlaController {
  constructor(private readonly publication: PublicationService) {}

  @Get(':month.json')
  @Public()
  @ApiOperation({ summary: "A published month's public figures (JSON, no token)", operationId: 'getPublicSlaMonth' })
  @ApiResponse({ status: 200, type: PublishedMonthDto, description: 'OK' })
  @ApiErrorResponses(400, 404)
  json(@Param('month') month: string) {
    return this.publication.published(checked(month));
  }

  @Get(':month')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({
    summary: 'The public supervision page of a published month (HTML, zh + en, no token)',
    operationId: 'getPublicSlaPage',
  })
  @ApiProduces('text/html')
  @ApiResponse({
    status: 200,
    description: 'server-rendered HTML with inline SVG charts',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400, 404)
  async html(@Param('month') month: string) {
    return renderPublicPage(await this.publication.published(checked(month)));
  }
}

function checked(month: string): string {
  if (!MONTH.test(month))
    throw new BadRequestException({ message: 'month must be YYYY-MM', details: [{ field: 'month', problems: ['month must be YYYY-MM'] }] });
  return month;
}
