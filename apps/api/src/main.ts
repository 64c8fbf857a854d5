import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Module, Controller, Get } from '@nestjs/common';
import { hello } from '@app/domain';

@Controller()
class C { @Get() h() { return { hello: hello() }; } }
@Module({ controllers: [C] })
class ApiModule {}

async function main() {
  const app = await NestFactory.create(ApiModule);
  await app.listen(3999);
  console.log('up');
  await app.close();
}
void main();
