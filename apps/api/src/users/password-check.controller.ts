import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { isCommonPassword } from '@app/application';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from '@app/domain';
import { ALL_ROLES, Roles, SessionOnly } from '../common/auth';

export class PasswordCheckDto {
  @ApiProperty() @IsString() @MaxLength(MAX_PASSWORD_LENGTH * 4)
  password!: string;
  @ApiPropertyOptional({ description: 'The account it is for (a password may not contain it)', example: 'jail.clark' })
  @IsOptional() @IsString() @MaxLength(64)
  username?: string;
}

export class PasswordCheckResponse {
  @ApiProperty() acceptable!: boolean;
  @ApiProperty({ type: 'string', nullable: true, example: 'A password needs at least 12 characters.', description: 'The first rule it breaks' })
  problem!: string | null;
  @ApiProperty({ example: MIN_PASSWORD_LENGTH }) minLength!: number;
  @ApiProperty({ example: MAX_PASSWORD_LENGTH }) maxLength!: number;
}

/** The password rules as the API applies them, for forms that show them while a password is typed. Nothing is stored or logged. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/password-check')
export class PasswordCheckController {
  @Post()
  @HttpCode(200)
  @Roles(...ALL_ROLES)
  @SessionOnly()
  @ApiOperation({ summary: 'Would the API accept this password (for this username)? The same rules as creating a user or setting a password' })
  @ApiOkResponse({ type: PasswordCheckResponse })
  check(@Body() body: PasswordCheckDto): PasswordCheckResponse {
    const problem = passwordProblem(body.password, { username: body.username, isCommon: isCommonPassword });
    return { acceptable: problem === null, problem, minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH };
  }
}
