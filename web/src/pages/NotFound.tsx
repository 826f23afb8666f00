import { Link, usePageTitle } from '../router.tsx';

export function NotFoundPage({ title = 'Page introuvable', message = 'Cette adresse ne correspond à aucune page du back office.' }: { title?: string; message?: string }) {
  usePageTitle(title);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Revenir à ma file de travail</Link>
      </p>
    </section>
  );
}
