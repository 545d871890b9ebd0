/**
 * `window.paylink`: the narrow object the renderer gets, built from the IPC contract. Kept
 * free of runtime imports (no zod) so the sandboxed preload bundle stays small; the preload
 * (Electron IPC) and the browser bridge (loopback HTTP) each supply only a transport.
 */
import type {
  Channel,
  ChannelInput,
  ChannelResults,
  EventName,
  EventPayloads,
  IpcResult,
} from './ipc-contract';

/** Every event main may push; the transports refuse any other name. */
export const EVENT_NAMES: readonly EventName[] = [
  'order:changed',
  'status:changed',
  'training:sms',
  'navigate:order',
  'navigate:newOrder',
  'access:changed',
];

/** How `window.paylink` reaches main: IPC in Electron, the loopback bridge in a browser. */
export interface PaylinkTransport {
  invoke(channel: Channel, input: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

type Call<C extends Channel> =
  undefined extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<IpcResult<ChannelResults[C]>>
    : (input: ChannelInput<C>) => Promise<IpcResult<ChannelResults[C]>>;

/** The object the renderer sees as `window.paylink`. */
export interface PaylinkApi {
  app: {
    status: Call<'app:status'>;
    takeLink: Call<'app:takeLink'>;
    restartToUpdate: Call<'app:restartToUpdate'>;
  };
  orders: {
    create: Call<'orders:create'>;
    checkDuplicate: Call<'orders:checkDuplicate'>;
    list: Call<'orders:list'>;
    /** One page of the board (filters, search, keyset cursor). */
    page: Call<'orders:page'>;
    get: Call<'orders:get'>;
    capture: Call<'orders:capture'>;
    refund: Call<'orders:refund'>;
    void: Call<'orders:void'>;
    cancelLink: Call<'orders:cancelLink'>;
    resendLink: Call<'orders:resendLink'>;
    qr: Call<'orders:qr'>;
    retry: Call<'orders:retry'>;
  };
  settings: {
    get: Call<'settings:get'>;
    save: Call<'settings:save'>;
    setSecret: Call<'settings:setSecret'>;
    clearSecret: Call<'settings:clearSecret'>;
    testConnection: Call<'settings:testConnection'>;
  };
  staff: {
    get: Call<'staff:get'>;
    choose: Call<'staff:choose'>;
    leave: Call<'staff:leave'>;
  };
  access: {
    setManagerPin: Call<'access:setManagerPin'>;
    setStaffPin: Call<'access:setStaffPin'>;
  };
  dayClose: {
    get: Call<'dayClose:get'>;
    export: Call<'dayClose:export'>;
  };
  training: {
    listSms: Call<'training:listSms'>;
    listSessions: Call<'training:listSessions'>;
    customer: Call<'training:customer'>;
  };
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/**
 * Builds the narrow `window.paylink` object over a transport. Written out by hand so the page
 * gets exactly these functions and nothing else (no generic invoke, no ipcRenderer).
 */
export function createPaylinkApi(t: PaylinkTransport): PaylinkApi {
  const call =
    <C extends Channel>(channel: C) =>
    (input?: ChannelInput<C>): Promise<IpcResult<ChannelResults[C]>> =>
      t.invoke(channel, input) as Promise<IpcResult<ChannelResults[C]>>;
  return {
    app: {
      status: call('app:status'),
      takeLink: call('app:takeLink'),
      restartToUpdate: call('app:restartToUpdate'),
    },
    orders: {
      create: call('orders:create'),
      checkDuplicate: call('orders:checkDuplicate'),
      list: call('orders:list'),
      page: call('orders:page'),
      get: call('orders:get'),
      capture: call('orders:capture'),
      refund: call('orders:refund'),
      void: call('orders:void'),
      cancelLink: call('orders:cancelLink'),
      resendLink: call('orders:resendLink'),
      qr: call('orders:qr'),
      retry: call('orders:retry'),
    },
    settings: {
      get: call('settings:get'),
      save: call('settings:save'),
      setSecret: call('settings:setSecret'),
      clearSecret: call('settings:clearSecret'),
      testConnection: call('settings:testConnection'),
    },
    staff: {
      get: call('staff:get'),
      choose: call('staff:choose'),
      leave: call('staff:leave'),
    },
    access: {
      setManagerPin: call('access:setManagerPin'),
      setStaffPin: call('access:setStaffPin'),
    },
    dayClose: {
      get: call('dayClose:get'),
      export: call('dayClose:export'),
    },
    training: {
      listSms: call('training:listSms'),
      listSessions: call('training:listSessions'),
      customer: call('training:customer'),
    },
    on: (event, listener) =>
      t.subscribe(event, (payload) => listener(payload as EventPayloads[typeof event])),
  };
}
