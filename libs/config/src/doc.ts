/** The configuration table of README.md, made from the variable list so the two cannot drift. */
import { vars, type VarSpec } from './spec.js';

export function configTable(): string {
  const rows = (Object.values(vars) as VarSpec<unknown>[]).map((v) =>
    `| \`${v.name}\` | ${v.defaultValue === undefined ? '(unset)' : `\`${v.defaultValue}\``} | ${v.description} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
