// The contact center screens: /telephone (the agent's console) and /telephone/tableau (the wallboard).
import { ConsolePage } from './Console.tsx';
import { WallboardPage } from '../wallboard/Wallboard.tsx';

export function PhonePages({ path }: { path: string }) {
  return path === '/telephone/tableau' ? <WallboardPage /> : <ConsolePage />;
}
