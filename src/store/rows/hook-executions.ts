// The SQL both stores run on codedeploy_hook_executions (the dialects agree here).
export const HOOK_SQL = {
  purge: 'DELETE FROM codedeploy_hook_executions WHERE expires_ms <= ?',
  // One statement, so the cap holds however many callers register at once on one database.
  register: `INSERT INTO codedeploy_hook_executions (deployment_id, execution_id, status, expires_ms)
    SELECT ?, ?, 'Pending', CAST(? AS BIGINT) WHERE (SELECT COUNT(*) FROM codedeploy_hook_executions) < ?
    ON CONFLICT (deployment_id, execution_id) DO UPDATE SET status = 'Pending', expires_ms = excluded.expires_ms`,
  status: 'SELECT status FROM codedeploy_hook_executions WHERE deployment_id = ? AND execution_id = ?',
  hasDeployment: 'SELECT 1 AS found FROM codedeploy_hook_executions WHERE deployment_id = ? LIMIT 1',
  complete: "UPDATE codedeploy_hook_executions SET status = ? WHERE deployment_id = ? AND execution_id = ? AND status = 'Pending'",
};
