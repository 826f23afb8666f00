import type { CliContext } from '../main.ts';
import { createRuntime } from '../../platform/runtime.ts';
import { quietLogger } from '../log.ts';
import { seedDemo, isDemoSeeded } from '../../modules/demo/seed-demo.ts';

export async function seedCommand({ config, values }: CliContext) {
  if (!values.demo) {
    console.error('Utilisation : guichet seed --demo');
    return 2;
  }
  const rt = await createRuntime(config, { log: quietLogger() });
  try {
    if (values.demo) {
      if (await isDemoSeeded(rt.db)) {
        console.log('Le département de démonstration est déjà installé.');
      } else {
        const t0 = Date.now();
        await seedDemo(rt, { log: (m) => console.log(m) });
        console.log(`Département de démonstration installé en ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
      }
    }
    return 0;
  } finally {
    await rt.close();
  }
}
