import type { CliContext } from '../main.ts';
import { createRuntime } from '../../platform/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { createToken } from '../../modules/auth/tokens.service.ts';
import { quietLogger } from '../log.ts';

export async function tokenCreate({ config, values }: CliContext) {
  if (!values.name || !values.role) {
    console.error('Utilisation : guichet token create --name N --role R [--unit U] [--scope S,...]');
    return 2;
  }
  const rt = await createRuntime(config, { log: quietLogger() });
  try {
    const t = await createToken(rt.db, systemActor('ligne de commande'), {
      name: String(values.name),
      role: String(values.role),
      unitCode: values.unit ? String(values.unit) : undefined,
      scopes: values.scope ? String(values.scope).split(',') : undefined,
    });
    console.log(`Jeton créé (portées : ${t.scopes.join(', ')}). Il ne sera plus affiché :`);
    console.log(t.token);
    return 0;
  } finally {
    await rt.close();
  }
}
