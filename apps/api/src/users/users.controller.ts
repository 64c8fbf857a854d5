import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { MIN_PASSWORD_LENGTH, UserAdminService } from '@app/application';
import { Role, ROLES } from '@app/domain';
import { Roles } from '../common/auth';
import { IdempotentCreate } from '../common/idempotency';
import { UserResponse } from '../auth/auth.responses';

export class CreateUserDto {
  @ApiProperty({ example: 'jail.clark' }) @IsString() @Matches(/^[A-Za-z0-9._@-]{3,64}$/, { message: 'username: 3 to 64 letters, digits, . _ @ -' })
  username!: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH }) @IsString() @MinLength(MIN_PASSWORD_LENGTH) @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Required for jail_staff' }) @IsOptional() @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ description: 'Required for officer and supervisor' }) @IsOptional() @IsUUID()
  areaId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ description: 'Where e-mail reminders go', example: 'jail.clark@example.gov' }) @IsOptional() @IsEmail() @MaxLength(254)
  email?: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UserAdminService) {}

  @Post()
  @Roles('admin')
  @IdempotentCreate()
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ description: 'The username is taken (details names it)' })
  create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return this.users.create(body);
  }
}
