/**
 * A static look at the renderer's JSX for words a person reads that do not come from the
 * catalogs: text between tags, string literals in what a tag shows or says (children,
 * conditional branches, `+`, `??`, `||`, template parts) and string props other than the
 * technical ones (className, id, role, value, ...). Punctuation, symbols and digits are fine;
 * anything with a letter is not. Calls (t('key'), f.money(...)) are where words come from, so
 * their arguments are not looked into.
 */
import ts from 'typescript';

/** Props whose string values no person reads (or reads as data, never as a sentence). */
const TECHNICAL_PROPS = new Set([
  'className',
  'id',
  'key',
  'type',
  'role',
  'name',
  'htmlFor',
  'autoComplete',
  'inputMode',
  'enterKeyHint',
  'spellCheck',
  'lang',
  'dir',
  'value',
  'defaultValue',
  'href',
  'src',
  'rel',
  'target',
  'dateTime',
  'method',
  'pattern',
  'step',
  'min',
  'max',
  'scope',
  'wrap',
  'form',
  'tone',
  'variant',
  'kind',
  'size',
  'as',
  'aria-live',
  'aria-hidden',
  'aria-current',
  'aria-controls',
  'aria-describedby',
  'aria-labelledby',
  'aria-haspopup',
  'aria-sort',
  'aria-expanded',
  'aria-pressed',
  'aria-invalid',
  'aria-required',
  'aria-busy',
  'aria-atomic',
  'aria-relevant',
  'aria-orientation',
  'aria-modal',
  'aria-autocomplete',
  'aria-activedescendant',
  'aria-selected',
  'aria-disabled',
  'aria-readonly',
  'aria-multiselectable',
]);

const hasLetter = (s: string): boolean => /\p{L}/u.test(s);

/** One place a word is built outside the catalogs. */
export interface Finding {
  file: string;
  line: number;
  text: string;
  where: string;
}

/** Literals with a letter that an expression shows as it is (not inside a call). */
function shownLiterals(e: ts.Expression): ts.Node[] {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) {
    return shownLiterals(e.expression);
  }
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
    return hasLetter(e.text) ? [e] : [];
  }
  if (ts.isTemplateExpression(e)) {
    const parts: ts.Node[] = [];
    if (hasLetter(e.head.text)) parts.push(e.head);
    for (const span of e.templateSpans) {
      if (hasLetter(span.literal.text)) parts.push(span.literal);
      parts.push(...shownLiterals(span.expression));
    }
    return parts;
  }
  if (ts.isConditionalExpression(e)) {
    return [...shownLiterals(e.whenTrue), ...shownLiterals(e.whenFalse)];
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken)
      return [...shownLiterals(e.left), ...shownLiterals(e.right)];
    if (
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.AmpersandAmpersandToken
    ) {
      return shownLiterals(e.right);
    }
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => shownLiterals(x));
  return [];
}

/** The findings in one .tsx source. */
export function scanJsx(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const out: Finding[] = [];
  const add = (node: ts.Node, text: string, where: string): void => {
    out.push({
      file,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      text: text.trim(),
      where,
    });
  };
  const literalText = (n: ts.Node): string =>
    ts.isStringLiteral(n) ||
    ts.isNoSubstitutionTemplateLiteral(n) ||
    ts.isTemplateHead(n) ||
    ts.isTemplateMiddle(n) ||
    ts.isTemplateTail(n)
      ? n.text
      : n.getText(sf);
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasLetter(node.text)) add(node, node.text, 'text between tags');
    else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      for (const lit of shownLiterals(node.expression)) add(lit, literalText(lit), 'shown literal');
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(sf);
      const technical = TECHNICAL_PROPS.has(name) || name.startsWith('data-');
      const init = node.initializer;
      if (!technical && init !== undefined) {
        if (ts.isStringLiteral(init) && hasLetter(init.text)) add(init, init.text, `${name}=`);
        else if (ts.isJsxExpression(init) && init.expression) {
          for (const lit of shownLiterals(init.expression)) add(lit, literalText(lit), `${name}=`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
