/**
 * The few globals src/shared may use: those that browsers and Node 20 both
 * have. Read only by tsconfig.shared.json (the main build has the DOM lib
 * and Node's types, which declare them already).
 */
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
declare function structuredClone<T>(value: T): T;
