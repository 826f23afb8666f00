import { describe, expect, it } from 'vitest';
import { checkRule, communeKey, fold, hasKeyword, prepareFacts, words, type RuleConditions } from './routing.match.ts';

const none: RuleConditions = { topicIds: [], channels: [], segments: [], postcodePrefixes: [], communes: [], keywords: [] };

describe('routing matching (pure)', () => {
  it('folds case, accents and ligatures', () => {
    expect(fold('Élagage À FAIRE')).toBe('elagage a faire');
    expect(fold('Œuvre sociale, Cæcum')).toBe('oeuvre sociale, caecum');
    expect(words("Demande d'élagage : arbres—rue du Moulin")).toEqual(['demande', 'd', 'elagage', 'arbres', 'rue', 'du', 'moulin']);
  });

  it('compares commune names loosely', () => {
    expect(communeKey('Saint-Jean-de-Braye')).toBe('saint jean de braye');
    expect(communeKey('ST JEAN DE BRAYE')).toBe('saint jean de braye');
    expect(communeKey('Ste-Geneviève-des-Bois')).toBe(communeKey('sainte genevieve des bois'));
    expect(communeKey("L'Haÿ-les-Roses")).toBe('l hay les roses');
  });

  it('finds keywords and phrases as whole words only', () => {
    const t = prepareFacts({ topicId: 't', channel: 'email', text: 'Bonjour, des branches  tombées sur la route ; ÉLAGAGE urgent. Nid-de-poule aussi.' }).text;
    expect(hasKeyword(t, 'elagage')).toBe(true);
    expect(hasKeyword(t, 'Élagage')).toBe(true);
    expect(hasKeyword(t, 'branches tombées')).toBe(true);
    expect(hasKeyword(t, 'nid de poule')).toBe(true);
    expect(hasKeyword(t, 'elag')).toBe(false); // not a prefix match
    expect(hasKeyword(t, 'route;')).toBe(true); // punctuation in the keyword is ignored
    expect(hasKeyword(t, 'tombées sur le')).toBe(false);
    expect(hasKeyword(t, '  ')).toBe(false);
    const plural = prepareFacts({ topicId: 't', channel: 'email', text: 'élagages' }).text;
    expect(hasKeyword(plural, 'élagage')).toBe(false);
  });

  it('ANDs conditions, ORs values, and reports what failed', () => {
    const facts = prepareFacts({ topicId: 't1', channel: 'mail', segment: null, postcode: '45 200', commune: 'Gien', text: null });
    expect(checkRule(none, facts)).toEqual({ matched: true, failed: [] });
    expect(checkRule({ ...none, channels: ['email', 'mail'], postcodePrefixes: ['452'] }, facts)).toEqual({ matched: true, failed: [] });
    expect(checkRule({ ...none, postcodePrefixes: ['45 2'] }, facts).matched).toBe(true);
    expect(checkRule({ ...none, topicIds: ['t2'], channels: ['phone'], segments: ['particulier'], postcodePrefixes: ['18'], communes: ['Briare'], keywords: ['x'] }, facts)).toEqual({
      matched: false,
      failed: ['topics', 'channels', 'segments', 'postcodes', 'communes', 'keywords'],
    });
  });
});
