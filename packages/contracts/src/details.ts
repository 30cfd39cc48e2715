import { z } from 'zod';

/**
 * Pieces every response schema is built from. Response schemas are strict: they list every field
 * the server sends, so the API reference (/openapi.json) says exactly what an answer holds, and a
 * field added to a handler without its schema fails the tests that check real answers against it.
 */

/** proto3 JSON writes 64-bit integers as decimal strings. */
export const uint64String = z.string().regex(/^\d+$/).describe('A 64-bit unsigned integer, as a decimal string (proto3 JSON).');

/** An RFC 3339 time in UTC, as proto3 JSON writes a Timestamp. */
export const timestampSchema = z.iso.datetime();

/** Numeric-string ids, as ZITADEL's. */
export const idSchema = z.string().regex(/^\d{1,20}$/, 'must be a numeric id');

/** ZITADEL's ObjectDetails: the change that made the object as it is now. */
export const objectDetailsSchema = z.strictObject({
  sequence: uint64String,
  creationDate: timestampSchema.optional(),
  changeDate: timestampSchema,
  resourceOwner: idSchema.describe('The organization the object belongs to.'),
});
export type ObjectDetails = z.infer<typeof objectDetailsSchema>;

/** A list's size (all matches, not only this page) and when it was read. */
export const listDetailsSchema = z.strictObject({ totalResult: uint64String, viewTimestamp: timestampSchema });
export type ListDetails = z.infer<typeof listDetailsSchema>;

/** Every write that creates nothing answers with the changed object's details. */
export const detailsResponseSchema = z.strictObject({ details: objectDetailsSchema });
export type DetailsResponse = z.infer<typeof detailsResponseSchema>;
