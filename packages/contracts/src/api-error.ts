import { z } from 'zod';

/** The gRPC-gateway error body the management API answers with. */
export const apiErrorSchema = z.object({
  code: z.number(),
  message: z.string(),
  details: z.array(z.object({ id: z.string(), message: z.string(), field: z.string().optional() })).default([]),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** gRPC status codes used on the management API. */
export const GrpcCode = {
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;
