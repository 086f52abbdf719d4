// The SQL both stores run on platform_function_credentials (the dialects agree here).
export const INSERT_FUNCTION_CREDENTIALS = `INSERT INTO platform_function_credentials (id, access_key_id, secret_access_key, session_token, created_ms)
  VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
export const SELECT_FUNCTION_CREDENTIALS = `SELECT access_key_id AS "accessKeyId", secret_access_key AS "secretAccessKey", session_token AS "sessionToken"
  FROM platform_function_credentials WHERE id = 1`;
