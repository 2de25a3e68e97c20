/** Version the agent reports in its inventory (kept in step with apps/agent/package.json). */
export const AGENT_VERSION = '0.1.0';
