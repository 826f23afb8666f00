// Reply channel « Message sur l'espace citoyen »: the agent's answer becomes an outbound portal message
// visible in Mon espace, and the citizen is told by e-mail.
import { registerReplyChannel } from '../../modules/replies/reply-channels.ts';
import { addInteraction } from '../../modules/cases/cases.service.ts';
import { hasPortalAccount, notifyCitizens } from './notify.ts';

export function registerPortalReplyChannel() {
  registerReplyChannel({
    id: 'portal',
    label: 'Message sur l’espace citoyen',
    async availableFor(db, c) {
      // A sensitive case is shown to the usager's own account only (never to an organisation's members).
      if (!c.contactId || !(await hasPortalAccount(db, c.id))) return { available: false, reason: 'L’usager n’a pas de compte sur l’espace citoyen.' };
      return { available: true };
    },
    async send(rt, actor, c, input) {
      const r = await addInteraction(rt.db, actor, c.reference, {
        kind: 'portal_message', direction: 'outbound', subject: input.subject ?? 'Réponse à votre demande', body: input.body, attachments: input.attachments,
        metadata: input.templateCode ? { templateCode: input.templateCode } : {},
      });
      await rt.db.tx((tx) => notifyCitizens(tx, rt.config.publicUrl, c.id, c.reference, `msg-${r.interaction.id}`, 'Nouveau message du Département', `Vous avez reçu un message concernant votre demande ${c.reference}.`));
      return { interactionId: r.interaction.id };
    },
  });
}
