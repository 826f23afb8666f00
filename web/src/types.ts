// Shapes of the API answers the back office reads (see /api/docs for the authoritative schemas).

export interface Session {
  agent: { id: string; email: string; displayName: string; roles: string[]; roleLabels: string[]; unitIds: string[] };
  csrfToken: string;
  abilities: Record<string, boolean>;
}

export type Sla = 'overdue' | 'due_soon' | 'on_time' | 'none';

export interface CaseListItem {
  id: string;
  reference: string;
  subject: string;
  status: string;
  channel: string;
  priority: string;
  dueDate: string | null;
  sla: Sla;
  tags: string[];
  sensitive: boolean;
  resolvedLevel1: boolean;
  createdAt: string;
  updatedAt: string;
  contactName: string | null;
  topicCode: string | null;
  topicName: string | null;
  unitCode: string | null;
  unitName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
}

export interface CaseList {
  items: CaseListItem[];
  nextCursor: string | null;
}

export type Counts = Record<string, number>;

export interface Attachment {
  id: string;
  sha256: string;
  filename: string;
  mimeType: string;
  size: number;
  contentId: string | null;
}

export interface Interaction {
  id: string;
  kind: string;
  direction: string;
  occurredAt: string;
  authorType: string;
  authorLabel: string | null;
  subject: string | null;
  body: string | null;
  bodyHtml: string | null;
  metadata: Record<string, unknown> | null;
  attachments: Attachment[];
}

export interface CaseEvent {
  id: number;
  kind: string;
  from: string | null;
  to: string | null;
  fromLabel: string | null;
  toLabel: string | null;
  reason: string | null;
  actorType: string;
  actorLabel: string | null;
  data: unknown;
  occurredAt: string;
}

export interface CaseAbilities {
  act: boolean;
  annotate: boolean;
  assign: boolean;
  takeOwnership: boolean;
  transitions: string[];
}

export interface CaseDetail {
  id: string;
  reference: string;
  subject: string;
  description: string | null;
  channel: string;
  status: string;
  resolvedLevel1: boolean;
  priority: string;
  tags: string[];
  sensitive: boolean;
  dueDate: string | null;
  sla: Sla;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  contact: { id: string; displayName: string; kind: string; segment: string; toCheck: boolean; emails: string[]; phones: string[] } | null;
  topic: { code: string; name: string; sensitive: boolean; deadlineDays: number; domainCode: string; domainName: string } | null;
  unit: { id: string; code: string; name: string } | null;
  assignee: { id: string; displayName: string } | null;
  interactions: Interaction[];
  events: CaseEvent[];
  links: Array<{ kind: string; reference: string; subject: string; status: string; direction: string }>;
  abilities: CaseAbilities;
}

export interface Unit {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  parentCode: string | null;
  active: boolean;
}

export interface Topic {
  id: string;
  code: string;
  name: string;
  domainCode: string;
  domainName: string;
  defaultUnitName: string;
  sensitive: boolean;
  deadlineDays: number;
  active: boolean;
}

export interface UnitMember {
  id: string;
  displayName: string;
  roles: string[];
}

export interface ContactHit {
  type: 'contact';
  id: string;
  displayName: string;
  kind: string;
  segment: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  matchedIn: string;
}

export interface CaseHit {
  type: 'case';
  reference: string;
  subject: string;
  status: string;
  channel: string;
  dueDate: string | null;
  sla: Sla;
  createdAt: string;
  contactName: string | null;
  topicName: string | null;
  unitName: string | null;
  snippet: string | null;
  matchedIn: string;
  rank: number;
}

export interface SearchResult {
  contacts: ContactHit[];
  cases: CaseHit[];
  nextCursor: string | null;
  /** False when the oldest history was not searched in time; `notice` then says how to reach it. */
  complete: boolean;
  notice: string | null;
}

export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, string>;
  createdAt: string;
}

/** What the live stream (GET /api/v1/events) sends for one case change. */
export interface LiveCaseEvent {
  reference: string;
  kind: string;
  unitId: string | null;
  previousUnitId: string | null;
  assigneeId: string | null;
  at: string;
  left: boolean;
}
