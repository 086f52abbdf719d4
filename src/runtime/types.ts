// The contract between the Lambda invoke pipeline (src/lambda) and execution environments (src/runtime).

/** AWS's EphemeralStorage.Size when a function sets none, in MB. */
export const DEFAULT_EPHEMERAL_STORAGE_MB = 512;

/** Everything an environment needs to run one published version (or $LATEST) of a function. */
export interface FunctionSpec {
  /** Identity of the code+configuration: environments are only reused for the same key. */
  key: string;
  accountId: string;
  region: string;
  functionName: string;
  /** '$LATEST' or a version number. */
  version: string;
  runtime: string;
  handler: string;
  memorySize: number;
  /**
   * EphemeralStorage.Size in MB (AWS: 512 to 10240, default 512 when absent): the size of the
   * sandbox's /tmp, a tmpfs; unsandboxed, /tmp is a host directory with no limit.
   */
  ephemeralStorageMb?: number;
  /** Seconds. */
  timeout: number;
  environment: Record<string, string>;
  /** Directory holding the extracted, read-only code (mounted at /var/task in the sandbox). */
  codeDir: string;
  /** The function's layers merged in order (later layers' files win), read-only; mounted at /opt. Absent without layers. */
  optDir?: string;
  logGroupName: string;
  /** LoggingConfig.LogFormat = JSON: the levels to log at. Absent for Text (the default). */
  jsonLogging?: JsonLogging;
  /** How the environment came to be (AWS_LAMBDA_INITIALIZATION_TYPE): on demand (default) or ahead, for provisioned concurrency. */
  initializationType?: 'on-demand' | 'provisioned-concurrency';
}

export type SystemLogLevel = 'DEBUG' | 'INFO' | 'WARN';

export interface JsonLogging {
  /** TRACE … FATAL: what the runtime logs of the function's own records (AWS_LAMBDA_LOG_LEVEL). */
  applicationLogLevel: string;
  /** What the platform logs of its own events (START, REPORT, …). */
  systemLogLevel: SystemLogLevel;
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  /** ARN the caller used, with the qualifier it used (context.invokedFunctionArn). */
  invokedFunctionArn: string;
  /** Base64 client context from X-Amz-Client-Context, passed through. */
  clientContext?: string;
  /** Deadline override in ms (API Gateway's integration timeout); defaults to the function timeout. */
  deadlineMs?: number;
  /**
   * Takes a streaming handler's response as it is written (InvokeWithResponseStream, RESPONSE_STREAM
   * function URLs); the result's payload then holds only what the function returned at the end.
   * Absent: what it streams is buffered into the payload, as AWS's Invoke does.
   */
  stream?: ResponseStreamSink;
}

export interface ResponseStreamSink {
  /** `contentType`: the one the handler set on its stream, once it has. */
  write(chunk: Buffer, contentType: string | undefined): void;
}

export interface InvokeResult {
  /** The function's response body, or AWS's error payload when functionError is set. */
  payload: Buffer;
  /** 'Unhandled' for errors thrown by the function, timeouts and crashes (X-Amz-Function-Error). */
  functionError?: 'Unhandled' | 'Handled';
  /** Everything the function printed plus START/END/REPORT lines, in order, as log lines. */
  logLines: string[];
  /** The stream these lines belong to (one per environment, like AWS). */
  logStreamName: string;
  durationMs: number;
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  /**
   * Only when external extensions still worked on the invocation after the runtime answered: the
   * invocation's final log lines, ready once they are done — END and REPORT then carry the whole
   * Invoke phase (runtime and extensions), as on AWS, and the extensions' lines of that time are
   * in them. `logLines` then ends at the runtime's answer (what `LogType: Tail` can show at once).
   */
  finalLogLines?: Promise<string[]>;
  /** With extensions: how long they worked on the invocation after the runtime answered (ms), once they are done. */
  postRuntimeDurationMs?: Promise<number>;
  /** Only for a version with provisioned concurrency: whether this ran on it, and how much of it was busy. */
  provisioned?: ProvisionedUsage;
}

export interface ProvisionedUsage {
  /** It ran on a provisioned environment (else it spilled over to an on-demand one). */
  onProvisioned: boolean;
  /** The version's provisioned environments busy with an invocation as it ended, itself included when on one. */
  busy: number;
  /** Provisioned concurrency allocated to the version. */
  allocated: number;
}
