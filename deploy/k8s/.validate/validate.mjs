// Validates rendered manifests (multi-document YAML files named on the command line) against the Kubernetes schemas
// of the kubernetes-models package. For every object it:
//   1. constructs it with the model class for its apiVersion and kind (an unknown apiVersion/kind is an error) and calls
//      .validate(): types, required fields, enums and formats from the Kubernetes OpenAPI schema;
//   2. rejects fields the schema does not know (a typo such as "readinesProbe" would otherwise pass .validate(), and
//      the API server would silently drop it): the field lists come from the same package's type declarations;
//   3. rejects a literal value for a secret setting (connection strings, keys, passwords) in a container's env or a
//      ConfigMap: those must come from a Secret;
//   4. checks the pod shape: non-root, read-only root filesystem, no privilege escalation, requests and limits, and
//      for the gateway Deployment ≥ 2 replicas, the health probes and a grace period that covers the drain.
// Exits 1 and names every problem when anything fails.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve("kubernetes-models/package.json"));
const apimachineryRoot = dirname(require.resolve("@kubernetes-models/apimachinery/package.json"));

// --- field lists from the .d.ts files -------------------------------------------------------------------------------
// Each file declares `export interface IName [extends TypeMeta] { "field"?: Type; ... }` and exports it under its global
// schema name (`export type { IName as IIoK8sApi...Name }`). Nested objects refer to other interfaces by global name.
const interfaces = new Map(); // global name -> Map(field -> type expression)
const topLevel = new Map(); // "apiVersion|kind" -> fields

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "_schemas") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarationFiles(path);
    else if (entry.name.endsWith(".d.ts")) yield path;
  }
}

for (const root of [modelsRoot, apimachineryRoot]) {
  for (const file of declarationFiles(root)) {
    const text = readFileSync(file, "utf8");
    const local = new Map();
    for (const match of text.matchAll(/^export interface (\w+)(?: extends ([\w, ]+))? \{\n([\s\S]*?)^\}/gm)) {
      const fields = new Map();
      for (const field of match[3].matchAll(/^ {4}"([^"]+)"\??: (.*?);?$/gm)) fields.set(field[1], field[2]);
      if (match[2]?.includes("TypeMeta")) {
        fields.set("apiVersion", fields.get("apiVersion") ?? "string");
        fields.set("kind", fields.get("kind") ?? "string");
        const apiVersion = /^"(.+)"$/.exec(fields.get("apiVersion"))?.[1];
        const kind = /^"(.+)"$/.exec(fields.get("kind"))?.[1];
        if (apiVersion && kind) topLevel.set(`${apiVersion}|${kind}`, fields);
      }
      local.set(match[1], fields);
    }
    for (const alias of text.matchAll(/^export type \{ (\w+) as (\w+)/gm)) {
      if (local.has(alias[1])) interfaces.set(alias[2], local.get(alias[1]));
    }
  }
}

function unknownFields(value, fields, path, problems) {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !fields) return;
  for (const [key, child] of Object.entries(value)) {
    if (!fields.has(key)) {
      problems.push(`${path}.${key}: not a field of this object`);
      continue;
    }
    const type = fields.get(key);
    const array = /^Array<(\w+)>$/.exec(type);
    if (array && Array.isArray(child)) {
      child.forEach((item, i) => unknownFields(item, interfaces.get(array[1]), `${path}.${key}[${i}]`, problems));
    } else if (/^\w+$/.test(type) && interfaces.has(type)) {
      unknownFields(child, interfaces.get(type), `${path}.${key}`, problems);
    }
  }
}

// --- no literal secrets ---------------------------------------------------------------------------------------------
const secretSetting = /^(ConnectionStrings__.+|.+__ApiKey|.+Password|.+__ConsumerKey|DataProtection__(Key|FingerprintKey|PreviousKeys__\d+)|Simulator__CryptogramSecret)$/;

function literalSecrets(object, problems) {
  if (object.kind === "ConfigMap") {
    for (const key of Object.keys(object.data ?? {})) {
      if (secretSetting.test(key)) problems.push(`data.${key}: a secret setting in a ConfigMap; use a secretKeyRef`);
    }
    return;
  }
  const podSpec = object.kind === "CronJob" ? object.spec?.jobTemplate?.spec?.template?.spec : object.spec?.template?.spec;
  for (const container of [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])]) {
    for (const env of container.env ?? []) {
      if (secretSetting.test(env.name) && env.value !== undefined) {
        problems.push(`container ${container.name}: ${env.name} has a literal value; use a secretKeyRef`);
      }
    }
  }
}

// --- the pod shape every workload here keeps (docs/kubernetes.md "The gateway pod", ADR 0802) ----------------------
// HostOptions:ShutdownTimeout: 20 s unless the container's settings say otherwise (src/ObotrGateway.Api/Hosting/ShutdownTimeout.cs).
const defaultHostShutdownSeconds = 20;

// A .NET TimeSpan as configuration binds it: [d.]hh:mm:ss[.fraction]. NaN for anything else.
function timeSpanSeconds(text) {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(String(text).trim());
  if (!match) return NaN;
  const [, days = "0", hours, minutes, seconds] = match;
  return Number(days) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

// The value a setting takes in a container: its own env first, else the ConfigMaps it loads with envFrom (the last wins).
function containerSetting(container, key, configMaps) {
  const own = (container?.env ?? []).find((env) => env.name === key);
  if (own) return own.value;
  let value;
  for (const source of container?.envFrom ?? []) {
    const data = configMaps.get(source.configMapRef?.name);
    if (data && key in data) value = data[key];
  }
  return value;
}

function podShape(object, problems, configMaps) {
  const podSpec = object.kind === "CronJob" ? object.spec?.jobTemplate?.spec?.template?.spec : object.spec?.template?.spec;
  if (!["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].includes(object.kind) || !podSpec) return;
  if (podSpec.securityContext?.runAsNonRoot !== true) problems.push("pod: securityContext.runAsNonRoot must be true");
  if (podSpec.automountServiceAccountToken !== false) problems.push("pod: automountServiceAccountToken must be false");
  for (const container of [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])]) {
    const where = `container ${container.name}`;
    const security = container.securityContext ?? {};
    if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
    if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!security.capabilities?.drop?.includes("ALL")) problems.push(`${where}: capabilities must drop ALL`);
    for (const kind of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (container.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: resources.${kind}.${resource} is missing`);
      }
    }
  }
  if (object.kind !== "Deployment" || object.metadata?.name !== "obotr-gateway") return;
  // The gateway itself: the issue's requirements, kept true by CI rather than by review.
  if (!(object.spec.replicas >= 2)) problems.push("gateway: spec.replicas must be at least 2");
  const gateway = podSpec.containers?.find((c) => c.name === "gateway");
  if (gateway?.readinessProbe?.httpGet?.path !== "/health/ready") problems.push("gateway: readinessProbe must GET /health/ready");
  if (gateway?.livenessProbe?.httpGet?.path !== "/health/live") problems.push("gateway: livenessProbe must GET /health/live");
  const drain = gateway?.lifecycle?.preStop?.sleep?.seconds ?? 0;
  if (drain < 5) problems.push("gateway: preStop must sleep at least 5 s so endpoints drain before SIGTERM");
  const grace = podSpec.terminationGracePeriodSeconds ?? 30;
  const shutdownSetting = containerSetting(gateway, "HostOptions__ShutdownTimeout", configMaps);
  const hostShutdownSeconds = shutdownSetting === undefined ? defaultHostShutdownSeconds : timeSpanSeconds(shutdownSetting);
  if (Number.isNaN(hostShutdownSeconds)) {
    problems.push(`gateway: HostOptions__ShutdownTimeout "${shutdownSetting}" is not a time span (hh:mm:ss)`);
  } else if (grace < drain + hostShutdownSeconds) {
    problems.push(`gateway: terminationGracePeriodSeconds ${grace} < preStop ${drain} s + host shutdown ${hostShutdownSeconds} s`);
  }
}

// --- main -----------------------------------------------------------------------------------------------------------
async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[\w.\/-]+$/.test(apiVersion)) return undefined;
  try {
    return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const kinds = new Map();
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  // The settings each workload loads, so the pod-shape check reads the values the pods will really get.
  const configMaps = new Map(
    documents
      .filter((document) => document.errors.length === 0)
      .map((document) => document.toJS())
      .filter((object) => object?.kind === "ConfigMap")
      .map((object) => [object.metadata?.name, object.data ?? {}]),
  );
  for (const document of documents) {
    if (document.errors.length > 0) {
      console.error(`${file.split("/").pop()}: YAML error: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    // kustomize wraps long base64 values in Secret data across lines; the API server's decoder skips the line breaks
    // (Go's base64 ignores \r and \n), the schema's "byte" format does not.
    if (object.kind === "Secret" && object.data) {
      for (const key of Object.keys(object.data)) {
        if (typeof object.data[key] === "string") object.data[key] = object.data[key].replace(/[\r\n]/g, "");
      }
    }
    const name = `${file.split("/").pop()}: ${object.kind}/${object.metadata?.name}`;
    const problems = [];
    const Model = await modelClass(object.apiVersion, object.kind);
    if (!Model) {
      problems.push(`no Kubernetes schema for apiVersion ${object.apiVersion}, kind ${object.kind}`);
    } else {
      try {
        new Model(object).validate();
      } catch (error) {
        problems.push(error.message);
      }
      unknownFields(object, topLevel.get(`${object.apiVersion}|${object.kind}`), "", problems);
    }
    literalSecrets(object, problems);
    podShape(object, problems, configMaps);
    checked++;
    kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
    for (const problem of problems) console.error(`${name}: ${problem}`);
    if (problems.length > 0) failures++;
  }
  console.log(`${file.split("/").pop()}: ${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(", ")}`);
}

if (checked === 0) {
  console.error("no objects to validate");
  process.exit(1);
}
console.log(`${checked} objects checked, ${failures} invalid`);
process.exit(failures > 0 ? 1 : 0);
