// Types of scripts/check-style.mjs, for its unit test (test/unit/scripts/check-style.test.ts).
export declare const MAX_FILE_LINES: number;
export declare const MAX_FUNCTION_LINES: number;
export declare const MAX_LINE_CHARS: number;
export declare const MIRROR_EXEMPT: Record<string, string>;
export interface FoundFunction {
  name: string;
  line: number;
  lines: number;
}
export declare function blankNonCode(text: string): string;
export declare function functionsIn(text: string): FoundFunction[];
export declare function mirrorOf(testPath: string, exists: (path: string) => boolean): string | null;
export declare function exemptionOf(testPath: string): string | null;
export declare function checkTree(root: string): { failures: string[]; notes: string[]; files: number };
