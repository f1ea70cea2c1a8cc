import { z } from 'zod';

// The [assistant] section of the configuration. Every field has a default, so an empty file is valid.

export const assistantLlmConfig = z.object({
  /** Off by default: the offline engine never touches the network. */
  enabled: z.boolean().default(false),
  /** An OpenAI-compatible API base (Ollama: http://127.0.0.1:11434/v1, llama.cpp server: http://127.0.0.1:8080/v1). */
  baseUrl: z.string().max(500).default('http://127.0.0.1:11434/v1'),
  model: z.string().max(200).default('llama3.2'),
  /** Sent as a Bearer token when set (prefer the env AINL_ASSISTANT__LLM__API_KEY or a 0600 config file). */
  apiKey: z.string().max(500).default(''),
  /** Whole-request timeout; on timeout the offline candidates are used. */
  timeoutMs: z.number().int().min(200).max(120000).default(8000),
  temperature: z.number().min(0).max(2).default(0.2),
  maxTokens: z.number().int().min(16).max(4096).default(300),
  /** Send the cwd and a few file names with the request. */
  sendContext: z.boolean().default(true),
});

export const assistantConfig = z.object({
  maxCandidates: z.number().int().min(1).max(5).default(5),
  /** Allow running commands rated `blocked` (catastrophic). Off: they are refused. */
  allowBlocked: z.boolean().default(false),
  /** Keep at most this many suggestions in the history database. */
  historyLimit: z.number().int().min(100).max(1000000).default(20000),
  /** Let accept/reject feedback and exit codes re-rank candidates. */
  learnFromHistory: z.boolean().default(true),
  llm: assistantLlmConfig.default(assistantLlmConfig.parse({})),
});
