// The credentials functions run with when the server verifies signatures: one random key, secret
// and session token per data dir (embedded) or per database (cluster), so every node accepts what
// any node's functions sign with. The first node to start creates them; the others read them.
export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface FunctionCredentialsStore {
  /** The stored credentials; `fresh` are stored and returned when there are none yet. */
  getOrCreate(fresh: FunctionCredentials): Promise<FunctionCredentials>;
}
