/** The route tree (code-based). Paths are Indonesian, as the users read them. */
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { isApiError } from './api/client.ts';
import type { CaseStatus, CaseView, Role } from './api/types.ts';
import { CASE_STATUSES, ROLES } from './api/types.ts';
import { validYear } from './lib/holidayDates.ts';
import { AdminGate } from './pages/AdminGate.tsx';
import { AppLayout } from './pages/AppLayout.tsx';
import { CrashPage, NotFoundPage } from './pages/ErrorPages.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { RegistryGate } from './pages/registry/RegistryGate.tsx';
import {
  poolListSearch,
  poolSearch,
  serverSearch,
  websiteSearch,
  zoneSearch,
} from './pages/registry/search.ts';
import { SignInPage } from './pages/SignInPage.tsx';
import { meQuery, safeNext } from './session.ts';

type RouterContext = { queryClient: QueryClient };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function positive(value: unknown): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 1 ? number : undefined;
}

function status(value: unknown): 'active' | 'inactive' | undefined {
  return value === 'active' || value === 'inactive' ? value : undefined;
}

export type ListSearch = { page?: number; q?: string; status?: 'active' | 'inactive' };
export type UserSearch = ListSearch & { role?: Role };
export type AuditSearch = {
  page?: number;
  actor?: string;
  action?: string;
  entityType?: string;
  from?: string;
  to?: string;
};

export type HolidaySearch = { tahun?: number };

export type CaseListSearch = { view?: CaseView; q?: string; status?: CaseStatus; page?: number };

function caseView(value: unknown): CaseView | undefined {
  return value === 'inbox' || value === 'overdue' || value === 'all' ? value : undefined;
}

function listSearch(search: Record<string, unknown>): ListSearch {
  return { page: positive(search.page), q: text(search.q), status: status(search.status) };
}

function day(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
  errorComponent: CrashPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/masuk',
  validateSearch: (search: Record<string, unknown>): { next?: string } => ({ next: text(search.next) }),
  // Already signed in (known without asking the server): go where the user wanted to be.
  beforeLoad: ({ context, search }) => {
    if (context.queryClient.getQueryData(meQuery.queryKey)) throw redirect({ href: safeNext(search.next) });
  },
  component: SignInPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: AppLayout,
  beforeLoad: async ({ context, location }) => {
    try {
      const me = await context.queryClient.ensureQueryData(meQuery);
      return { me };
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        const next = location.href === '/' ? undefined : location.href;
        throw redirect({ to: '/masuk', search: { next } });
      }
      throw error;
    }
  },
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });

const adminRoute = createRoute({ getParentRoute: () => appRoute, id: 'admin', component: AdminGate });

const usersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/pengguna',
  validateSearch: (search: Record<string, unknown>): UserSearch => {
    const role = ROLES.find((r) => r === search.role);
    return { ...listSearch(search), role };
  },
  component: lazyRouteComponent(() => import('./pages/UsersPage.tsx'), 'UsersPage'),
});

const opdsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/opd',
  validateSearch: listSearch,
  component: lazyRouteComponent(() => import('./pages/OrgPages.tsx'), 'OpdsPage'),
});

const unitsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/unit-kerja',
  validateSearch: listSearch,
  component: lazyRouteComponent(() => import('./pages/OrgPages.tsx'), 'UnitsPage'),
});

const holidaysRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/hari-libur',
  validateSearch: (search: Record<string, unknown>): HolidaySearch => ({ tahun: validYear(search.tahun) }),
  component: lazyRouteComponent(() => import('./pages/HolidaysPage.tsx'), 'HolidaysPage'),
});

const sopTimesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/waktu-baku-sop',
  component: lazyRouteComponent(() => import('./pages/SopTimesPage.tsx'), 'SopTimesPage'),
});

const documentSettingsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/pengaturan-dokumen',
  component: lazyRouteComponent(() => import('./pages/DocumentSettingsPage.tsx'), 'DocumentSettingsPage'),
});

// The SOP designer (issue 11): the administrator's services and their definitions.
const designerListRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/admin/layanan',
  component: lazyRouteComponent(() => import('./pages/services/DesignerListPage.tsx'), 'DesignerListPage'),
});

const designerNewRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/admin/layanan/baru',
  component: lazyRouteComponent(() => import('./pages/services/DesignerPage.tsx'), 'NewServicePage'),
});

const designerEditRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/admin/layanan/$key',
  component: lazyRouteComponent(() => import('./pages/services/DesignerPage.tsx'), 'EditServicePage'),
});

const auditRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/log-audit',
  validateSearch: (search: Record<string, unknown>): AuditSearch => ({
    page: positive(search.page),
    actor: text(search.actor),
    action: text(search.action),
    entityType: text(search.entityType),
    from: day(search.from),
    to: day(search.to),
  }),
  component: lazyRouteComponent(() => import('./pages/AuditPage.tsx'), 'AuditPage'),
});

// Requests: every role has the list and the request page; only OPD users file new ones.
const casesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/permohonan',
  validateSearch: (search: Record<string, unknown>): CaseListSearch => ({
    view: caseView(search.view),
    q: text(search.q),
    status: CASE_STATUSES.find((s) => s === search.status),
    page: positive(search.page),
  }),
  component: lazyRouteComponent(() => import('./pages/cases/CasesPage.tsx'), 'CasesPage'),
});

const newCaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/permohonan/baru',
  validateSearch: (search: Record<string, unknown>): { layanan?: string } => ({
    layanan: text(search.layanan),
  }),
  component: lazyRouteComponent(() => import('./pages/cases/NewCasePage.tsx'), 'NewCasePage'),
});

const editCaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/permohonan/$id/ubah',
  component: lazyRouteComponent(() => import('./pages/cases/NewCasePage.tsx'), 'EditDraftPage'),
});

// The catalogue of services: every signed-in user reads it; an OPD files a request from it.
const catalogueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/layanan',
  component: lazyRouteComponent(() => import('./pages/services/CataloguePage.tsx'), 'CataloguePage'),
});

const caseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/permohonan/$id',
  component: lazyRouteComponent(() => import('./pages/cases/CasePage.tsx'), 'CasePage'),
});

// The registry: websites for everyone (an OPD user sees its own), the rest for DKISP staff only.
const websitesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/registri/website',
  validateSearch: websiteSearch,
  component: lazyRouteComponent(() => import('./pages/registry/WebsitesPage.tsx'), 'WebsitesPage'),
});

const websiteRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/registri/website/$id',
  component: lazyRouteComponent(() => import('./pages/registry/WebsitePage.tsx'), 'WebsitePage'),
});

const registryRoute = createRoute({
  getParentRoute: () => appRoute,
  id: 'registry',
  component: RegistryGate,
});

const serversRoute = createRoute({
  getParentRoute: () => registryRoute,
  path: '/registri/server',
  validateSearch: serverSearch,
  component: lazyRouteComponent(() => import('./pages/registry/ServersPage.tsx'), 'ServersPage'),
});

const serverRoute = createRoute({
  getParentRoute: () => registryRoute,
  path: '/registri/server/$id',
  component: lazyRouteComponent(() => import('./pages/registry/ServerPage.tsx'), 'ServerPage'),
});

const poolsRoute = createRoute({
  getParentRoute: () => registryRoute,
  path: '/registri/pool-ip',
  validateSearch: poolListSearch,
  component: lazyRouteComponent(() => import('./pages/registry/PoolsPage.tsx'), 'PoolsPage'),
});

const poolRoute = createRoute({
  getParentRoute: () => registryRoute,
  path: '/registri/pool-ip/$id',
  validateSearch: poolSearch,
  component: lazyRouteComponent(() => import('./pages/registry/PoolPage.tsx'), 'PoolPage'),
});

const zonesRoute = createRoute({
  getParentRoute: () => registryRoute,
  path: '/registri/zona-dns',
  component: lazyRouteComponent(() => import('./pages/registry/ZonesPage.tsx'), 'ZonesPage'),
});

const zoneRoute = createRoute({
  getParentRoute: () => registryRoute,
  path: '/registri/zona-dns/$id',
  validateSearch: zoneSearch,
  component: lazyRouteComponent(() => import('./pages/registry/ZonePage.tsx'), 'ZonePage'),
});

// The page a document's QR code opens: public, outside the app shell, no session asked for (not even
// looked at, so a signed-out phone that scans the code goes straight to it).
const verifyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verifikasi/$id',
  component: lazyRouteComponent(() => import('./pages/VerifyPage.tsx'), 'VerifyPage'),
});

// Administration pages load on demand: most users (OPD operators) never open them.
const routeTree = rootRoute.addChildren([
  signInRoute,
  verifyRoute,
  appRoute.addChildren([
    homeRoute,
    casesRoute,
    newCaseRoute,
    editCaseRoute,
    caseRoute,
    catalogueRoute,
    websitesRoute,
    websiteRoute,
    registryRoute.addChildren([serversRoute, serverRoute, poolsRoute, poolRoute, zonesRoute, zoneRoute]),
    adminRoute.addChildren([
      usersRoute,
      opdsRoute,
      unitsRoute,
      holidaysRoute,
      sopTimesRoute,
      documentSettingsRoute,
      designerListRoute,
      designerNewRoute,
      designerEditRoute,
      auditRoute,
    ]),
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: false,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
