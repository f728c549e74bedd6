import type { NodeAPI } from 'node-red';
import { routeKey } from './node-red-internals';

/** The flow object fields read here, as the editor saves them. */
interface FlowNode {
  id: string;
  type: string;
  z?: string;
  d?: boolean;
  wires?: string[][];
  /** http-in */
  method?: string;
  url?: string;
  skipBodyParsing?: boolean;
  /** twc-status, twc-command */
  master?: string;
}

/** One http-in route and what the gate needs to know of it. */
export interface HttpInRoute {
  method: string;
  /** Matches the path as Express does by default: case-insensitive, an optional trailing slash. */
  pattern: RegExp;
  raw: boolean;
  /**
   * The twc-masters whose locks and allowed origins guard it: those of the TWC nodes it feeds. None: a
   * route of the user's own, which the gate on Node-RED's port leaves alone.
   */
  masters: string[];
}

const TWC_NODES = new Set(['twc-status', 'twc-command']);

/**
 * A request path as the http-in node's raw-body reader compares it (doubled slashes made one), so that no
 * spelling of an API route (`//api/chargeNow`) reaches that reader, which has no limit, without the gate.
 */
export function comparablePath(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/** An http-in url as Express matches it: `:name` is one path segment. */
function pattern(url: string): RegExp {
  const key = routeKey('GET', url.startsWith('/') ? url : '/' + url).slice(4);
  const source = key
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`, 'i');
}

/**
 * The deployed http-in routes, each with the twc-masters it feeds through twc-status or twc-command nodes
 * (with any nodes in between: a function, a change node). Those that feed one are the API's routes, which
 * the gate guards on Node-RED's port as on its own. Disabled nodes and the nodes of disabled tabs serve
 * nothing and are left out.
 */
export function httpInRoutes(nodes: readonly FlowNode[]): HttpInRoute[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const disabledTabs = new Set(
    nodes.filter((n) => n.type === 'tab' && (n as { disabled?: boolean }).disabled).map((n) => n.id),
  );
  const live = (n: FlowNode | undefined): n is FlowNode => !!n && !n.d && !(n.z && disabledTabs.has(n.z));
  const mastersFed = (start: FlowNode): string[] => {
    const masters = new Set<string>();
    const seen = new Set<string>([start.id]);
    const queue = [start];
    while (queue.length > 0) {
      const n = queue.shift()!;
      for (const id of (n.wires ?? []).flat()) {
        const next = byId.get(id);
        if (seen.has(id) || !live(next)) continue;
        seen.add(id);
        if (TWC_NODES.has(next.type) && next.master) masters.add(next.master);
        queue.push(next);
      }
    }
    return [...masters];
  };
  const out: HttpInRoute[] = [];
  for (const n of nodes) {
    if (n.type !== 'http in' || !live(n) || !n.url) continue;
    const masters = mastersFed(n);
    out.push({
      method: (n.method ?? 'get').toUpperCase(),
      pattern: pattern(n.url),
      raw: !!n.skipBodyParsing,
      masters,
    });
  }
  return out;
}

const tables = new WeakMap<object, ApiRouteTable>();

/** The API's routes of the flows now deployed, found again at every deploy rather than at every request. */
export class ApiRouteTable {
  private routes: HttpInRoute[] | undefined;

  private constructor(private RED: NodeAPI) {
    RED.events.on('flows:started', () => {
      this.routes = undefined;
    });
  }

  /** One table per runtime: a runtime loaded again (as tests do) keeps its one listener. */
  static of(RED: NodeAPI): ApiRouteTable {
    let table = tables.get(RED.events);
    if (!table) tables.set(RED.events, (table = new ApiRouteTable(RED)));
    table.RED = RED;
    table.routes = undefined;
    return table;
  }

  /** Every http-in route on this path, whatever its method: a lock on a path holds for all its methods. */
  onPath(path: string): HttpInRoute[] {
    this.routes ??= this.read();
    const key = comparablePath(path);
    return this.routes.filter((r) => r.pattern.test(key));
  }

  private read(): HttpInRoute[] {
    const nodes: FlowNode[] = [];
    this.RED.nodes.eachNode((n) => {
      nodes.push(n as unknown as FlowNode);
    });
    return httpInRoutes(nodes);
  }
}
