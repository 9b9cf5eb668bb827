import type * as acorn from 'acorn';

/**
 * Free-variable analysis of one function's ESTree AST: which names it reads or writes that it does not declare
 * itself. Those are the names a worker thread would resolve against its own globals, so each must be a capture or a
 * standard global (DESIGN.md §4).
 *
 * The trick that keeps this small: every declaration of a scope is collected *before* the scope's code is walked
 * (hoisting and the temporal dead zone do not matter for "is it declared anywhere in scope"), so a binding
 * identifier can be walked like any reference and simply resolves to its own declaration.
 */

/** What the analysis found. Offsets are into the text that was parsed. */
export interface ScopeReport {
  /** Each free name with the offset of its first reference, in walk order. */
  readonly free: ReadonlyMap<string, number>;
  /** Constructs that would mean something else in a worker, with their offset. */
  readonly unsupported: readonly { readonly construct: 'super' | 'import.meta'; readonly start: number }[];
}

type AnyNode = acorn.AnyNode;

/** A lexical scope: the names it declares, and its parent. */
class Scope {
  readonly names = new Set<string>();
  readonly parent: Scope | undefined;
  constructor(parent: Scope | undefined) {
    this.parent = parent;
  }

  declares(name: string): boolean {
    return this.names.has(name) || (this.parent?.declares(name) ?? false);
  }
}

/**
 * The free variables of `fn`. `fn` is the function itself (the root of the analysis): its own name, parameters and
 * body are inside; nothing around it is.
 *
 * `this` is not a variable and is not reported (in a worker it is undefined for arrows and plain functions).
 * `arguments` is declared by every non-arrow function, so an arrow's `arguments` is reported as free.
 */
export function analyzeFunctionScope(fn: acorn.Function): ScopeReport {
  const walker = new ScopeWalker(fn);
  walker.visitFunction(fn, new Scope(undefined));
  return { free: walker.free, unsupported: walker.unsupported };
}

class ScopeWalker {
  readonly free = new Map<string, number>();
  readonly unsupported: { construct: 'super' | 'import.meta'; start: number }[] = [];
  /** Non-arrow functions and class bodies entered below the root: `super` inside them is not the root's. */
  private nestedDepth = 0;
  private readonly root: acorn.Function;

  constructor(root: acorn.Function) {
    this.root = root;
  }

  visitFunction(fn: acorn.Function, scope: Scope): void {
    const isArrow = fn.type === 'ArrowFunctionExpression';
    let outer = scope;
    // A named function expression sees its own name, in a scope of its own between the outside and the params.
    if (fn.type === 'FunctionExpression' && fn.id) {
      outer = new Scope(scope);
      outer.names.add(fn.id.name);
    }
    // Parameters get their own scope: a default value cannot see the body's `var`s (`function f(a = b) { var b }`).
    const params = new Scope(outer);
    for (const param of fn.params) declarePattern(param, params.names);
    if (!isArrow) params.names.add('arguments');
    const nested = !isArrow && fn !== this.root;
    if (nested) this.nestedDepth += 1;
    for (const param of fn.params) this.visit(param, params);
    if (fn.body.type === 'BlockStatement') {
      const body = new Scope(params);
      declareVars(fn.body.body, body.names);
      declareLexicals(fn.body.body, body.names);
      for (const statement of fn.body.body) this.visit(statement, body);
    } else {
      this.visit(fn.body, params);
    }
    if (nested) this.nestedDepth -= 1;
  }

  private visitClass(node: acorn.Class, scope: Scope): void {
    // The class name is visible inside the class (a declaration also binds it in the enclosing block).
    const inner = new Scope(scope);
    if (node.id) inner.names.add(node.id.name);
    if (node.superClass) this.visit(node.superClass, inner);
    this.nestedDepth += 1;
    for (const element of node.body.body) {
      if (element.type === 'StaticBlock') {
        // A static block is a var scope of its own, like a function body without parameters.
        const block = new Scope(inner);
        declareVars(element.body, block.names);
        declareLexicals(element.body, block.names);
        for (const statement of element.body) this.visit(statement, block);
        continue;
      }
      if (element.computed) this.visit(element.key, inner);
      if (element.type === 'MethodDefinition') this.visitFunction(element.value, inner);
      else if (element.value) this.visit(element.value, new Scope(inner));
    }
    this.nestedDepth -= 1;
  }

  private reference(name: string, start: number, scope: Scope): void {
    if (!scope.declares(name) && !this.free.has(name)) this.free.set(name, start);
  }

  /** Walks any node. Cases below are the ones where a name is not a reference or a new scope begins. */
  visit(node: AnyNode, scope: Scope): void {
    switch (node.type) {
      case 'Identifier':
        this.reference(node.name, node.start, scope);
        return;
      case 'MemberExpression':
        // `a.b`: `b` is a property name, not a variable; `a[b]` reads `b`.
        this.visit(node.object, scope);
        if (node.computed) this.visit(node.property, scope);
        return;
      case 'Property':
        // `{ a: b }` reads `b` only; shorthand `{ a }` has the identifier `a` as its value, so it is read.
        if (node.computed) this.visit(node.key, scope);
        this.visit(node.value, scope);
        return;
      case 'LabeledStatement':
        // Labels live in their own namespace; `break label` and `continue label` name no variable.
        this.visit(node.body, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'PrivateIdentifier':
      case 'ThisExpression':
        return;
      case 'MetaProperty':
        if (node.meta.name === 'import') this.unsupported.push({ construct: 'import.meta', start: node.start });
        return; // `new.target` is fine: it names no variable.
      case 'Super':
        if (this.nestedDepth === 0) this.unsupported.push({ construct: 'super', start: node.start });
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.visitFunction(node, scope);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        this.visitClass(node, scope);
        return;
      case 'BlockStatement': {
        const block = new Scope(scope);
        declareLexicals(node.body, block.names);
        for (const statement of node.body) this.visit(statement, block);
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        // `for (let i …)` binds `i` in a scope around the whole loop.
        const loop = new Scope(scope);
        const head = node.type === 'ForStatement' ? node.init : node.left;
        if (head?.type === 'VariableDeclaration' && head.kind !== 'var') declareLexicals([head], loop.names);
        this.visitChildren(node, loop);
        return;
      }
      case 'SwitchStatement': {
        // All cases share one block scope.
        this.visit(node.discriminant, scope);
        const cases = new Scope(scope);
        declareLexicals(
          node.cases.flatMap((c) => c.consequent),
          cases.names,
        );
        for (const switchCase of node.cases) this.visitChildren(switchCase, cases);
        return;
      }
      case 'CatchClause': {
        const handler = new Scope(scope);
        if (node.param) {
          declarePattern(node.param, handler.names);
          this.visit(node.param, handler);
        }
        this.visit(node.body, handler);
        return;
      }
      default:
        this.visitChildren(node, scope);
    }
  }

  /** Walks every child node generically, so node types without special scoping need no case above. */
  private visitChildren(node: AnyNode, scope: Scope): void {
    for (const key of Object.keys(node)) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
      const value: unknown = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.visit(item, scope);
      } else if (isNode(value)) {
        this.visit(value, scope);
      }
    }
  }
}

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Adds the names a binding pattern declares: `a`, `{ a, b: [c], ...d }`, `[e = 1, ...f]`. */
function declarePattern(pattern: acorn.Pattern, into: Set<string>): void {
  switch (pattern.type) {
    case 'Identifier':
      into.add(pattern.name);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        declarePattern(property.type === 'RestElement' ? property.argument : property.value, into);
      }
      return;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element) declarePattern(element, into);
      return;
    case 'RestElement':
      declarePattern(pattern.argument, into);
      return;
    case 'AssignmentPattern':
      declarePattern(pattern.left, into);
      return;
    case 'MemberExpression':
      return; // only in assignment targets, never in declarations
  }
}

/**
 * Adds the `var` names declared anywhere in `statements`, through nested blocks and loops but not into nested
 * functions or classes (which have var scopes of their own).
 */
function declareVars(statements: readonly AnyNode[], into: Set<string>): void {
  for (const statement of statements) {
    switch (statement.type) {
      case 'VariableDeclaration':
        if (statement.kind === 'var') for (const d of statement.declarations) declarePattern(d.id, into);
        break;
      case 'BlockStatement':
        declareVars(statement.body, into);
        break;
      case 'IfStatement':
        declareVars(statement.alternate ? [statement.consequent, statement.alternate] : [statement.consequent], into);
        break;
      case 'ForStatement':
        declareVars(statement.init ? [statement.init, statement.body] : [statement.body], into);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        declareVars([statement.left, statement.body], into);
        break;
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'LabeledStatement':
        declareVars([statement.body], into);
        break;
      case 'TryStatement':
        declareVars([statement.block], into);
        if (statement.handler) declareVars([statement.handler.body], into);
        if (statement.finalizer) declareVars([statement.finalizer], into);
        break;
      case 'SwitchStatement':
        for (const switchCase of statement.cases) declareVars(switchCase.consequent, into);
        break;
    }
  }
}

/**
 * Adds the block-scoped names `statements` declare directly: `let`, `const`, `using`, classes and (in strict mode,
 * which shipped code always is) function declarations.
 */
function declareLexicals(statements: readonly AnyNode[], into: Set<string>): void {
  for (const statement of statements) {
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
      for (const d of statement.declarations) declarePattern(d.id, into);
    } else if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
      // Only `export default` declarations lack a name, and shipped code has no exports.
      if (statement.id) into.add(statement.id.name);
    }
  }
}
