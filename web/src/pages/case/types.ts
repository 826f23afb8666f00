// Shapes of the portal-related answers the case page reads (see /api/docs).

/** GET /api/v1/cases/:ref/submission — the procedure submitted on the portal. */
export interface Submission {
  id: string;
  procedureSlug: string;
  procedureTitle: string;
  procedureVersion: number;
  data: Record<string, unknown>;
  /** The answers as the form showed them: page titles, field labels, display values. */
  summary: Array<{ title: string; items: Array<{ label: string; value: string }> }>;
  files: Array<{ sha256: string; filename: string; mimeType: string; size: number; field: string }>;
  pdfSha256: string | null;
  createdAt: string;
}

/** GET /api/v1/cases/:ref/document-requests — one request for missing documents. */
export interface DocumentRequest {
  id: string;
  items: string[];
  message: string | null;
  status: 'open' | 'answered' | 'cancelled';
  requestedBy: string | null;
  createdAt: string;
  dueDate: string | null;
  answeredAt: string | null;
  answerInteractionId: string | null;
}

export interface DocumentRequests {
  items: DocumentRequest[];
  /** Whether someone with a portal account sees this case (and can answer in Mon espace). */
  portalAccount: boolean;
}
