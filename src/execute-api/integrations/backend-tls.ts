// The TLS side of HTTP and HTTP_PROXY integrations calling https:// backends: the stage's client
// certificate, presented in the handshake so a backend requiring client certificates (mutual
// TLS) accepts the call, and the integration's tlsConfig.insecureSkipVerification, which accepts
// a backend certificate that no public certificate authority issued (self-signed, private CA).
// Connections are pooled per certificate: one keep-alive agent per (certificate, verification)
// pair, made once; requests of stages without either use the shared agent.
import { Agent as HttpsAgent } from 'node:https';
import type { InvocationContext } from '../context.js';

const AGENT_OPTIONS = { keepAlive: true, maxSockets: 256 } as const;
/** Agents kept for certificates; beyond this the oldest is closed (its sockets reconnect on next use). */
const MAX_AGENTS = 256;

/** The agent of https calls with neither a client certificate nor relaxed verification. */
export const sharedHttpsAgent = new HttpsAgent(AGENT_OPTIONS);
const agents = new Map<string, HttpsAgent>();

function agentFor(key: string, make: () => HttpsAgent): HttpsAgent {
  let agent = agents.get(key);
  if (agent) return agent;
  agent = make();
  agents.set(key, agent);
  if (agents.size > MAX_AGENTS) {
    const [oldestKey, oldest] = agents.entries().next().value as [string, HttpsAgent];
    agents.delete(oldestKey);
    oldest.destroy();
  }
  return agent;
}

/** The agent an https:// integration call goes through. */
export function httpsAgentFor(ctx: InvocationContext): HttpsAgent {
  const certificate = ctx.resolved?.stage.clientCertificate;
  const insecure = ctx.integration?.tlsConfig?.insecureSkipVerification === true;
  if (!certificate && !insecure) return sharedHttpsAgent;
  // Node checks the backend's certificate chain and host name unless rejectUnauthorized is false;
  // AWS, skipping only the authority check, still checks expiry and host name (Stagecraft does not).
  const key = `${certificate?.key ?? ''}|${insecure ? 'insecure' : 'verified'}`;
  return agentFor(key, () => new HttpsAgent({
    ...AGENT_OPTIONS,
    ...(certificate ? { cert: certificate.certificatePem, key: certificate.privateKeyPem } : {}),
    ...(insecure ? { rejectUnauthorized: false } : {}),
  }));
}
