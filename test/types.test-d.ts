import { describe, expectTypeOf, it } from 'vitest';
import {
  type ApiError,
  type AuthenticationError,
  type ConnectionError,
  DuplicateSendError,
  type InvalidArgumentError,
  type NotFoundError,
  type PermissionDeniedError,
  type PreconditionFailedError,
  type RateLimitError,
  type ResponseValidationError,
  type SendOptions,
  type SendOutcomeUnknownError,
  type SendResult,
  type ServerError,
  type SslOrder,
  type SslOrderPage,
  type SslOrderStatus,
  SslOrdersClient,
  type SslOrdersClientOptions,
  type SslOrdersError,
  type TimeoutError,
} from '../src/index.js';

describe('public types', () => {
  it('SslOrder has the documented fields', () => {
    expectTypeOf<SslOrder['id']>().toEqualTypeOf<number>();
    expectTypeOf<SslOrder['accountId']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SslOrder['statusId']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SslOrder['commonName']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrder['approverEmailAddress']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrder['technicalContactEmailAddress']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrder['createDate']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrder['modifyDate']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrder['effectiveDate']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrder['expirationDate']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NonNullable<SslOrder['status']>>().toExtend<SslOrderStatus>();
    expectTypeOf<SslOrderStatus['name']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SslOrderStatus['id']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SslOrderStatus['description']>().toEqualTypeOf<string | undefined>();
  });

  it('the client methods return the documented shapes', () => {
    const client = new SslOrdersClient({ auth: { bearerToken: 'token-123' } });
    expectTypeOf(client.listOrders()).toEqualTypeOf<Promise<SslOrderPage>>();
    expectTypeOf(client.getOrder(1)).toEqualTypeOf<Promise<SslOrder>>();
    expectTypeOf(client.iterateOrders()).toExtend<AsyncIterable<SslOrder>>();
    expectTypeOf(client.resendFulfillmentEmail(1)).toEqualTypeOf<Promise<SendResult>>();
    expectTypeOf<SslOrderPage['total']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error ids are numbers, not strings
    void client.getOrder('12');
  });

  it('auth is one of three shapes', () => {
    expectTypeOf<{ auth: { username: string; apiKey: string } }>().toExtend<SslOrdersClientOptions>();
    expectTypeOf<{ auth: { ibmCloudApiKey: string } }>().toExtend<SslOrdersClientOptions>();
    expectTypeOf<{ auth: { bearerToken: () => Promise<string> } }>().toExtend<SslOrdersClientOptions>();
    expectTypeOf<{ auth: { token: string } }>().not.toExtend<SslOrdersClientOptions>();
  });

  it('SendResult narrows on outcome', () => {
    const narrow = (result: SendResult) => {
      if (result.outcome === 'sent') expectTypeOf(result.sentAt).toEqualTypeOf<Date>();
      else if (result.outcome === 'dry-run') expectTypeOf(result.request.method).toEqualTypeOf<'POST'>();
      else expectTypeOf(result.outcome).toEqualTypeOf<'declined'>();
    };
    expectTypeOf(narrow).toBeFunction();
    expectTypeOf<SendResult['outcome']>().toEqualTypeOf<'sent' | 'declined' | 'dry-run'>();
  });

  it('SendOptions has no retry', () => {
    expectTypeOf<SendOptions>().not.toHaveProperty('retry');
    // @ts-expect-error sends are retried only when the server provably did not act
    const options: SendOptions = { retry: false };
    void options;
  });

  it('errors have literal names and the documented fields', () => {
    expectTypeOf<InvalidArgumentError['name']>().toEqualTypeOf<'InvalidArgumentError'>();
    expectTypeOf<AuthenticationError['name']>().toEqualTypeOf<'AuthenticationError'>();
    expectTypeOf<PermissionDeniedError['name']>().toEqualTypeOf<'PermissionDeniedError'>();
    expectTypeOf<NotFoundError['name']>().toEqualTypeOf<'NotFoundError'>();
    expectTypeOf<RateLimitError['name']>().toEqualTypeOf<'RateLimitError'>();
    expectTypeOf<ServerError['name']>().toEqualTypeOf<'ServerError'>();
    expectTypeOf<ConnectionError['name']>().toEqualTypeOf<'ConnectionError'>();
    expectTypeOf<TimeoutError['name']>().toEqualTypeOf<'TimeoutError'>();
    expectTypeOf<ResponseValidationError['name']>().toEqualTypeOf<'ResponseValidationError'>();
    expectTypeOf<PreconditionFailedError['name']>().toEqualTypeOf<'PreconditionFailedError'>();
    expectTypeOf<DuplicateSendError['name']>().toEqualTypeOf<'DuplicateSendError'>();
    expectTypeOf<SendOutcomeUnknownError['name']>().toEqualTypeOf<'SendOutcomeUnknownError'>();
    expectTypeOf<ApiError['status']>().toEqualTypeOf<number>();
    expectTypeOf<ApiError['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RateLimitError['retryAfterMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NotFoundError>().toExtend<ApiError>();
    expectTypeOf<ApiError>().toExtend<SslOrdersError>();
    expectTypeOf<TimeoutError>().toExtend<SslOrdersError>();
    expectTypeOf<DuplicateSendError>().toExtend<Error>();
    expectTypeOf(DuplicateSendError).constructorParameters.toBeArray();
  });
});
