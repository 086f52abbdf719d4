// Lambda runtime identifiers: which AWS accepts for new functions, which it has retired,
// and which Stagecraft can execute on this host.

/** The set AWS lists (in AWS's order) when a CreateFunction/UpdateFunctionConfiguration runtime is invalid. */
export const ACCEPTED_RUNTIMES = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25', 'python3.10',
  'python3.11', 'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17', 'nodejs16.x', 'dotnet10', 'dotnet8',
  'java11', 'dotnet6', 'nodejs18.x', 'provided.al2', 'java8.al2',
];

/** Runtimes AWS refuses for creating or updating functions. */
export const RETIRED_RUNTIMES = [
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'java8', 'python2.7',
  'python3.6', 'python3.7', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'go1.x', 'ruby2.5', 'ruby2.7', 'provided',
];

export type RuntimeFamily = 'nodejs' | 'python' | 'ruby' | 'java' | 'provided';

/** The runtime families Stagecraft executes; others are stored (for fidelity) but can't be invoked. */
export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('python3')) return 'python';
  if (runtime.startsWith('ruby3')) return 'ruby';
  if (/^java(8\.al2|11|17|21|25)$/.test(runtime)) return 'java';
  if (runtime.startsWith('provided')) return 'provided';
  return undefined;
}
