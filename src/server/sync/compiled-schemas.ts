/**
 * The push path's schemas, compiled for the server.
 *
 * The shared schemas are written with zod/mini so the phone's bundle stays
 * small, and zod/mini objects are interpreted: each parse walks the shape key
 * by key. Classic zod compiles an object's parser into a function once
 * (`$ZodObjectJIT`), about twice as fast on a check form, and validating the
 * forms is the largest single cost of ingest on the server's one thread.
 *
 * `compileObjects` rebuilds a schema tree with zod core's compiled object
 * type, from the very same definitions (shape, checks, error maps, the
 * leaves themselves are shared), so the rules and the messages are those of
 * the shared schema; only the speed differs. A test parses valid and broken
 * forms through both and requires the same answer.
 */
import * as core from 'zod/v4/core';
import { CheckFormBodySchema } from '#shared/schemas/check-form.ts';
import { FormPutMutationSchema } from '#shared/schemas/sync.ts';

type AnyDef = core.$ZodTypeDef & Record<string, unknown>;

function compile(schema: core.$ZodType): core.$ZodType {
  const def = schema._zod.def as AnyDef;
  switch (def.type) {
    case 'object': {
      const shape: Record<string, core.$ZodType> = {};
      for (const [key, value] of Object.entries((def as unknown as core.$ZodObjectDef).shape)) shape[key] = compile(value);
      return new core.$ZodObjectJIT({ ...(def as unknown as core.$ZodObjectDef), shape });
    }
    case 'array':
      return new core.$ZodArray({ ...(def as unknown as core.$ZodArrayDef), element: compile((def as unknown as core.$ZodArrayDef).element) });
    case 'nullable':
      return new core.$ZodNullable({ ...(def as unknown as core.$ZodNullableDef), innerType: compile((def as unknown as core.$ZodNullableDef).innerType) });
    case 'optional':
      return new core.$ZodOptional({ ...(def as unknown as core.$ZodOptionalDef), innerType: compile((def as unknown as core.$ZodOptionalDef).innerType) });
    default:
      // Leaves (strings, numbers, enums...) hold no objects: shared as they are.
      // Any other container keeps its interpreted parser, still correct.
      return schema;
  }
}

/** The same schema with every object (through arrays, nullable and optional) compiled. Parse it with zod's functional API. */
export function compileObjects<T extends core.$ZodType>(schema: T): core.$ZodType<core.output<T>, core.input<T>> {
  return compile(schema) as core.$ZodType<core.output<T>, core.input<T>>;
}

export const CompiledCheckFormBodySchema = compileObjects(CheckFormBodySchema);
export const CompiledFormPutMutationSchema = compileObjects(FormPutMutationSchema);
