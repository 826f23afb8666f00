import type { CliContext } from '../main.ts';
import { createRuntime } from '../../platform/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { createAgent } from '../../modules/agents/agents.service.ts';
import { quietLogger } from '../log.ts';

export async function userCreate({ config, values }: CliContext) {
  if (!values.email || !values.password || !values.role) {
    console.error('Utilisation : guichet user create --email E --password P --role R [--unit U] [--name N]');
    return 2;
  }
  const rt = await createRuntime(config, { log: quietLogger() });
  try {
    const agent = await createAgent(rt.db, systemActor('ligne de commande'), {
      email: String(values.email),
      password: String(values.password),
      roles: String(values.role).split(','),
      unitCodes: values.unit ? String(values.unit).split(',') : [],
      displayName: values.name ? String(values.name) : undefined,
    });
    console.log(`Compte créé : ${agent.email} (${agent.roles.join(', ')})`);
    return 0;
  } finally {
    await rt.close();
  }
}

