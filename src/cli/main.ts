// The `guichet` command line. Each subcommand lives in its own file under commands/.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../platform/config.ts';

const USAGE = `Guichet — gestion de la relation citoyens

Utilisation : guichet <commande> [options]

  start                     migre, installe le département de démonstration au premier lancement, puis sert
  serve [--port P] [--data DIR] [--smtp-port P]   sert l'application (API, back office, portail), les tâches de fond
                            et, avec --smtp-port, le récepteur SMTP du canal courriel
  worker [--data DIR]       exécute les tâches de fond (plusieurs workers possibles avec PostgreSQL)
  migrate [--data DIR]      applique les migrations SQL
  seed --demo | --scale N   installe le département de démonstration (ou N années d'historique)
  audit verify              vérifie la chaîne d'audit (code de sortie non nul si elle est altérée)
  user create --email E --password P --role R [--unit U] [--name N]
  mail separator-sheet [--out FICHIER] [--copies N]   feuille de séparation à imprimer (courrier numérisé)
  mail watch DOSSIER        dépose dans Guichet les numérisations arrivant dans DOSSIER (avancement affiché)
  token create --name N --role R [--unit U] [--scope S,...]   affiche le jeton seul sur la dernière ligne
  staffing --calls-per-hour N --aht S --target 0.8 --within S [--shrinkage 0.3]   effectif (Erlang C), « agents: N » en dernière ligne

Variables : DATABASE_URL, GUICHET_DATA_DIR, PORT, HOST… (voir README).`;

export interface CliContext {
  config: Config;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

const OPTIONS = {
  port: { type: 'string' },
  'smtp-port': { type: 'string' },
  data: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  unit: { type: 'string' },
  name: { type: 'string' },
  scope: { type: 'string' },
  out: { type: 'string' },
  copies: { type: 'string' },
  demo: { type: 'boolean' },
  scale: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]) {
  if (argv[0] === 'staffing') return (await import('./commands/staffing.ts')).staffingCommand(argv.slice(1)); // own options, no database
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, sub] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (values.port !== undefined && !/^\d+$/.test(values.port)) throw new ConfigError('--port', 'nombre entier attendu');
  if (values['smtp-port'] !== undefined && !/^\d+$/.test(values['smtp-port'])) throw new ConfigError('--smtp-port', 'nombre entier attendu');
  const config = loadConfig(process.env, { dataDir: values.data, port: values.port !== undefined ? Number(values.port) : undefined, smtpPort: values['smtp-port'] !== undefined ? Number(values['smtp-port']) : undefined });
  const ctx: CliContext = { config, values, positionals };
  const key = sub && ['audit', 'user', 'token', 'mail'].includes(command) ? `${command} ${sub}` : command;
  switch (key) {
    case 'start':
      return (await import('./commands/serve.ts')).start(ctx);
    case 'serve':
      return (await import('./commands/serve.ts')).serve(ctx);
    case 'worker':
      return (await import('./commands/worker.ts')).worker(ctx);
    case 'migrate':
      return (await import('./commands/migrate.ts')).migrateCommand(ctx);
    case 'seed':
      return (await import('./commands/seed.ts')).seedCommand(ctx);
    case 'audit verify':
      return (await import('./commands/audit.ts')).auditVerify(ctx);
    case 'user create':
      return (await import('./commands/user.ts')).userCreate(ctx);
    case 'token create':
      return (await import('./commands/token.ts')).tokenCreate(ctx);
    case 'mail separator-sheet':
      return (await import('./commands/mail.ts')).mailSeparatorSheet(ctx);
    case 'mail watch':
      return (await import('./commands/mail.ts')).mailWatch(ctx);
    default:
      console.error(`Commande inconnue : ${positionals.join(' ')}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    if (err instanceof ConfigError || err?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      console.error(err.message);
      process.exit(2);
    }
    if (err?.status && err?.message) {
      // a domain error (invalid input, conflict...): the message is meant for people
      console.error(`Erreur : ${err.message}${err.fields ? ' ' + JSON.stringify(err.fields) : ''}`);
      process.exit(1);
    }
    console.error(err?.stack ?? err);
    process.exit(1);
  },
);
