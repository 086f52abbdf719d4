// The files `stagecraft init` writes: a SAM template with one function and a REST API, the
// stagecraft.yml that gives the API a prod stage beside dev (each calling the alias its `env`
// stage variable names), and a handler in the chosen runtime. Pure: names in, files out.
import { ACCEPTED_RUNTIMES, runtimeFamily } from '../lambda/runtimes.js';

export interface ScaffoldFile {
  /** Relative to the project's directory, with forward slashes. */
  path: string;
  content: string;
  /** What the file is for, as `init` lists it. */
  purpose: string;
}

/** The runtimes a new project may use: those AWS accepts that Stagecraft runs without a bootstrap of the user's own. */
export const SCAFFOLD_RUNTIMES = ACCEPTED_RUNTIMES.filter((r) => {
  const family = runtimeFamily(r);
  return family === 'nodejs' || family === 'python';
}).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

export const DEFAULT_SCAFFOLD_RUNTIME = 'nodejs20.x';

/** Lambda's function name rule, kept short enough that `{name}-api` and the stack name stay valid too. */
const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,60}$/;

/** A function name from a directory name: runs of other characters become `-`; empty when nothing is left. */
export function nameFromDirectory(directory: string): string {
  return directory.replace(/[^a-zA-Z0-9-_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
}

/** Why `name` can't name the project's function, or undefined when it can. */
export function invalidFunctionName(name: string): string | undefined {
  if (FUNCTION_NAME.test(name)) return undefined;
  return `'${name}' is not a usable function name: use 1 to 60 letters, digits, '-' or '_'`;
}

/** Why `runtime` can't be a new project's runtime, or undefined when it can. */
export function invalidScaffoldRuntime(runtime: string): string | undefined {
  if (SCAFFOLD_RUNTIMES.includes(runtime)) return undefined;
  return `'${runtime}' is not a runtime init can start a project in: use one of ${SCAFFOLD_RUNTIMES.join(', ')}`;
}

export function scaffoldFiles(name: string, runtime: string): ScaffoldFile[] {
  const python = runtimeFamily(runtime) === 'python';
  const handler = python ? pythonHandler(name) : nodeHandler(name);
  return [
    { path: 'template.yaml', content: template(name, runtime, python ? 'app.handler' : 'index.handler'), purpose: `AWS SAM template: function ${name} (alias dev), REST API ${name}-api with GET /hello` },
    { path: 'stagecraft.yml', content: projectFile(name), purpose: 'stages dev and prod of the API, each calling the alias its env stage variable names' },
    { path: python ? 'src/app.py' : 'src/index.mjs', content: handler, purpose: 'the handler' },
  ];
}

function template(name: string, runtime: string, handler: string): string {
  return `# ${name}: one function in DEV and PROD behind one REST API.
#
#   stagecraft deploy                                  # publishes a version, moves alias dev
#   stagecraft promote ${name} --from dev --to prod    # moves alias prod when you are ready
#
# stagecraft.yml (next to this file) adds what SAM can't say: a prod stage beside dev, whose
# integrations call the alias named by the stage variable env (${name}:\${stageVariables.env}).
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: ${name} in DEV and PROD behind one REST API

Globals:
  Function:
    Runtime: ${runtime}
    MemorySize: 128
    Timeout: 3

Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Name: ${name}-api
      StageName: dev
      Variables:
        env: dev

  Function:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${name}
      CodeUri: src/
      Handler: ${handler}
      AutoPublishAlias: dev
      # Shift dev's traffic to each new version gradually, as CodeDeploy does, and put it all
      # back if one of the alarms goes off (AWS::CloudWatch::Alarm resources of this template):
      # DeploymentPreference:
      #   Type: Canary10Percent5Minutes
      #   Alarms: [!Ref ErrorsAlarm]
      Events:
        Hello:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /hello
            Method: GET

Outputs:
  ApiId:
    Description: The REST API
    Value: !Ref Api
`;
}

function projectFile(name: string): string {
  return `# What the SAM template can't say. \`stagecraft deploy\` moves alias dev;
# \`stagecraft promote ${name} --from dev --to prod\` moves prod.
Template: template.yaml
StackName: ${name}
Apis:
  Api:
    FunctionAlias: \${stageVariables.env}
    Stages:
      dev:
        Variables:
          env: dev
      prod:
        Variables:
          env: prod
`;
}

function nodeHandler(name: string): string {
  return `// ${name}: answers GET /hello with a greeting and the version of the function that ran
// (each stage's alias picks the version).
export const handler = async (event) => {
  const version = process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
  console.log(\`stage=\${event?.requestContext?.stage ?? '-'} version=\${version}\`);
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: 'Hello from ${name}!', version }),
  };
};
`;
}

function pythonHandler(name: string): string {
  return `# ${name}: answers GET /hello with a greeting and the version of the function that ran
# (each stage's alias picks the version).
import json
import os


def handler(event, context):
    version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
    stage = ((event or {}).get("requestContext") or {}).get("stage", "-")
    print(f"stage={stage} version={version}")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": "Hello from ${name}!", "version": version}),
    }
`;
}
