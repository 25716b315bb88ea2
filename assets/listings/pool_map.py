# Section 10 - Pool.map over four URLs. Fetching is SIMULATED (offline
# classrooms): each URL has a latency and the last one does not resolve.
from multiprocessing import Pool
import time

LATENCY = {
    'https://www.baidu.com/': 0.6,
    'https://www.meituan.com/': 1.1,
    'https://blog.csdn.net/': 0.8,
    'https://xxxyxxx.net/': 2.0,
}
UNREACHABLE = {'https://xxxyxxx.net/'}


def scrape(url):
    time.sleep(LATENCY[url])          # the simulated round trip
    if url in UNREACHABLE:
        print(f'URL: {url} not Scraped')
        return 'not Scraped'
    print(f'URL: {url} Scraped')
    return 'Scraped'


if __name__ == '__main__':
    pool = Pool(3)
    urls = list(LATENCY)
    results = pool.map(scrape, urls)  # in input order
    pool.close()
    pool.join()
    print(f'map() returned: {results}')
    print('Main process finished')
