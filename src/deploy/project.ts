// stagecraft.yml: the few things a SAM template can't say, in SAM's words. It names its template,
// may fix the stack name and parameter values, and may give an API several stages (with their
// variables) whose integrations call the function alias a stage variable names:
//
//   Template: template.yaml
//   StackName: hello
//   Parameters: { Greeting: Hello }
//   Apis:
//     HelloApi:                              # an AWS::Serverless::Api (or ServerlessRestApi)
//       FunctionAlias: ${stageVariables.env} # integrations call function:NAME:${stageVariables.env}
//       Stages:
//         dev:  { Variables: { env: dev } }
//         prod: { Variables: { env: prod } }
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Issues, didYouMean, type Location } from './issues.js';
import { get, parseTemplateText, type MapNode, type TNode } from './source.js';

export interface StageOverlay {
  name: string;
  variables: Record<string, string>;
  description?: string;
  loc: Location;
}

export interface ApiOverlay {
  logicalId: string;
  loc: Location;
  /** A literal alias name or `${stageVariables.NAME}`. */
  functionAlias?: { value: string; loc: Location };
  stages: StageOverlay[];
}

export interface ProjectFile {
  file: string;
  template: string;
  stackName?: string;
  parameters: Record<string, string>;
  apis: ApiOverlay[];
}

const TOP = ['Template', 'StackName', 'Parameters', 'Apis'];
const API_KEYS = ['FunctionAlias', 'Stages'];
const STAGE_KEYS = ['Variables', 'Description'];
export const STAGE_VARIABLE_ALIAS = /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/;
export const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
export const STAGE_NAME = /^[a-zA-Z0-9_-]+$/;
export const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
export const VARIABLE_VALUE = /^[A-Za-z0-9-._~:/?#&=,]*$/;

function text(node: TNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function checkKeys(map: MapNode, allowed: string[], what: string, issues: Issues): void {
  for (const e of map.entries) {
    if (!allowed.includes(e.key)) issues.error(`unknown ${what} key '${e.key}'${didYouMean(e.key, allowed)}; allowed: ${allowed.join(', ')}`, e.value.path, e.keyLoc);
  }
}

export function readProjectFile(file: string, issues: Issues): ProjectFile | undefined {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    issues.error(err.code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${err.message}`);
    return undefined;
  }
  const root = parseTemplateText(source, file, issues);
  if (!root) return undefined;
  if (root.kind !== 'map') {
    issues.error('stagecraft.yml is a map (Template, StackName, Parameters, Apis)', '', root.loc);
    return undefined;
  }
  checkKeys(root, TOP, 'stagecraft.yml', issues);
  const project: ProjectFile = { file, template: relative(process.cwd(), join(dirname(resolve(file)), text(get(root, 'Template')) ?? 'template.yaml')), parameters: {}, apis: [] };
  const stackName = get(root, 'StackName');
  if (stackName) {
    const s = text(stackName);
    if (!s || !/^[A-Za-z][A-Za-z0-9-]*$/.test(s)) issues.error('StackName starts with a letter and has only letters, digits and hyphens', 'StackName', stackName.loc);
    else project.stackName = s;
  }
  const parameters = get(root, 'Parameters');
  if (parameters?.kind === 'map') {
    for (const e of parameters.entries) {
      const v = e.value.kind === 'seq' ? e.value.items.map((i) => text(i) ?? '').join(',') : text(e.value);
      if (v === undefined) issues.error('parameter values are strings, numbers or lists', e.value.path, e.value.loc);
      else project.parameters[e.key] = v;
    }
  } else if (parameters) {
    issues.error('Parameters is a map of names to values', 'Parameters', parameters.loc);
  }
  const apis = get(root, 'Apis');
  if (apis && apis.kind !== 'map') issues.error('Apis is a map of API logical IDs', 'Apis', apis.loc);
  for (const e of apis?.kind === 'map' ? apis.entries : []) {
    if (e.value.kind !== 'map') {
      issues.error('an API entry is a map with FunctionAlias and/or Stages', e.value.path, e.value.loc);
      continue;
    }
    checkKeys(e.value, API_KEYS, `Apis.${e.key}`, issues);
    const overlay: ApiOverlay = { logicalId: e.key, loc: e.keyLoc, stages: [] };
    const alias = get(e.value, 'FunctionAlias');
    if (alias) {
      const v = text(alias);
      if (!v || !(STAGE_VARIABLE_ALIAS.test(v) || ALIAS_NAME.test(v))) {
        issues.error('FunctionAlias is an alias name (e.g. live) or ${stageVariables.NAME}', alias.path, alias.loc);
      } else {
        overlay.functionAlias = { value: v, loc: alias.loc };
      }
    }
    const stages = get(e.value, 'Stages');
    if (stages && stages.kind !== 'map') issues.error('Stages is a map of stage names', stages.path, stages.loc);
    for (const s of stages?.kind === 'map' ? stages.entries : []) {
      if (!STAGE_NAME.test(s.key)) issues.error(`stage name '${s.key}' may only contain letters, digits, hyphens and underscores`, s.value.path, s.keyLoc);
      const stage: StageOverlay = { name: s.key, variables: {}, loc: s.keyLoc };
      if (s.value.kind === 'map') {
        checkKeys(s.value, STAGE_KEYS, `stage ${s.key}`, issues);
        const vars = get(s.value, 'Variables');
        if (vars && vars.kind !== 'map') issues.error('Variables is a map of names to values', vars.path, vars.loc);
        for (const v of vars?.kind === 'map' ? vars.entries : []) {
          const value = text(v.value);
          if (value === undefined) issues.error('stage variable values are strings', v.value.path, v.value.loc);
          else stage.variables[v.key] = value;
        }
        stage.description = text(get(s.value, 'Description'));
      } else if (!(s.value.kind === 'scalar' && s.value.value === null)) {
        issues.error('a stage is a map with Variables', s.value.path, s.value.loc);
      }
      overlay.stages.push(stage);
    }
    project.apis.push(overlay);
  }
  return project;
}
