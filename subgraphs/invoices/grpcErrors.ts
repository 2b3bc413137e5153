import { status, type ServiceError } from '@grpc/grpc-js';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../src/platform/errorCodes.js';
import { describeNetworkError } from '../../src/platform/http/networkError.js';
import { BACKEND_METADATA } from '../shared/grpcMetadata.js';

/** Proto request fields → the GraphQL arguments they come from, so errors name what the client sent. */
const ARGUMENT_OF_FIELD: Record<string, string> = {
  id: 'id',
  customer_id: 'customerId',
  customer_ids: 'customerId',
  amount_cents: 'amount',
  currency: 'currency',
  description: 'description',
  limit: 'first',
};

/**
 * The one place where gRPC status codes become GraphQL error codes:
 * INVALID_ARGUMENT → BAD_USER_INPUT, NOT_FOUND → NOT_FOUND, UNAVAILABLE,
 * DEADLINE_EXCEEDED and CANCELLED → BACKEND_UNAVAILABLE; anything else is an internal
 * error whose details stay in the log. This subgraph never cancels a call of its own, so
 * a cancelled call is the service going away in the middle of it (a crash, a forced
 * shutdown): the backend is unavailable, and a retry may succeed.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (!isServiceError(error)) {
    return new GraphQLError('internal error in the invoices subgraph', {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      originalError: error instanceof Error ? error : undefined,
    });
  }
  switch (error.code) {
    case status.INVALID_ARGUMENT: {
      const [, field, detail] = /^([a-z_]+): (.*)$/s.exec(error.details) ?? [];
      const argument = field ? ARGUMENT_OF_FIELD[field] : undefined;
      return new GraphQLError(argument ? `${argument}: ${detail}` : error.details, {
        extensions: { code: ErrorCode.BAD_USER_INPUT, grpcStatus: 'INVALID_ARGUMENT', ...(argument && { argument }) },
      });
    }
    case status.NOT_FOUND:
      return new GraphQLError(error.details, { extensions: { code: ErrorCode.NOT_FOUND, grpcStatus: 'NOT_FOUND' } });
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
    case status.CANCELLED: {
      const backend = backendOf(error);
      if (backend) {
        return new GraphQLError(`the invoices service's ${backend} is unavailable; retry later`, {
          extensions: { code: ErrorCode.BACKEND_UNAVAILABLE, grpcStatus: status[error.code], backend },
        });
      }
      return new GraphQLError(
        `the invoices service is unavailable (${status[error.code]}: ${describeNetworkError(error)}); retry later`,
        { extensions: { code: ErrorCode.BACKEND_UNAVAILABLE, grpcStatus: status[error.code] } },
      );
    }
    default:
      return new GraphQLError('internal error in the invoices service', {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, grpcStatus: status[error.code] },
      });
  }
}

/** The backend the service says is down (metadata `backend`), when it names one plainly. */
function backendOf(error: ServiceError): string | undefined {
  const [value] = error.metadata?.get(BACKEND_METADATA) ?? [];
  return typeof value === 'string' && /^[a-z][a-z0-9-]{0,62}$/.test(value) ? value : undefined;
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number' && 'details' in error;
}
