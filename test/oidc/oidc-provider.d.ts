// oidc-provider 9 ships no type declarations; the test provider uses a small part of its API.
declare module 'oidc-provider' {
  const Provider: any;
  export default Provider;
}
